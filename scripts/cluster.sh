#!/usr/bin/env bash
# A loopback cluster for development, tests and benchmarks (DESIGN.md,
# Processes): one etcd, GROUPS storage nodes (one shard group each), GATEWAYS
# gateways. Every process logs to a file of its own in the cluster directory.
#
#   scripts/cluster.sh start [DIR]   start (DIR default /tmp/tessera-cluster);
#                                    prints the gateway ports and writes DIR/cluster.env
#   scripts/cluster.sh stop [DIR]    stop every process and remove DIR
#   scripts/cluster.sh status [DIR]  tessera ctl status
#   scripts/cluster.sh kill-node G [SIGNAL] [DIR]  signal storage node G (default KILL)
#   scripts/cluster.sh restart-node G [DIR]        start storage node G again (same data)
#
#   TESSERA_BIN  the binary (default build/cluster/tessera)
#   CLUSTER_GROUPS=3 CLUSTER_GATEWAYS=2   cluster shape
#   NO_SYNC=1    storage nodes skip fsync (tests)
#   GATEWAY_PORT first gateway SQL port (default: free ports)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BIN="${TESSERA_BIN:-$ROOT/build/cluster/tessera}"
NUM_GROUPS="${CLUSTER_GROUPS:-3}"
NUM_GATEWAYS="${CLUSTER_GATEWAYS:-2}"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {  # wait_for SECONDS COMMAND...: polls every 0.1 s
  local tries=$(($1 * 10))
  shift
  for _ in $(seq 1 "$tries"); do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

start_node() {  # start_node GROUP
  local g="$1" sync_flag=""
  [ "${NO_SYNC:-0}" = 1 ] && sync_flag="--no-sync"
  mkdir -p "$DIR/node$g"
  "$BIN" storage --etcd "$ETCD_URL" --group "$g" --data "$DIR/node$g/data" \
    --listen "127.0.0.1:$(eval echo "\$NODE_PORT_$g")" $sync_flag >> "$DIR/node$g.log" 2>&1 &
  echo $! > "$DIR/node$g.pid"
}

node_registered() {  # node_registered GROUP: the node started last registered itself in etcd
  local key value pid
  key="$(printf '/tessera/nodes/%s' "$1" | base64)"
  pid="$(cat "$DIR/node$1.pid")"
  kill -0 "$pid" 2> /dev/null || return 1
  # The v3 JSON API takes and returns base64; the registration names its pid.
  value="$(curl -sf -X POST "$ETCD_URL/v3/kv/range" -d "{\"key\": \"$key\"}" |
    python3 -c 'import base64, json, sys; kvs = json.load(sys.stdin).get("kvs", []); print(base64.b64decode(kvs[0]["value"]).decode() if kvs else "")')"
  grep -q "\"pid\":$pid[,}]" <<< "$value"
}

cmd_start() {
  if [ ! -x "$BIN" ]; then
    echo "cluster: $BIN was not built" >&2
    return 1
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  local etcd_port peer_port
  etcd_port="$(free_port)"
  peer_port="$(free_port)"
  ETCD_URL="http://127.0.0.1:$etcd_port"
  {
    echo "ETCD_URL=$ETCD_URL"
    echo "CLUSTER_GROUPS=$NUM_GROUPS"
    for g in $(seq 0 $((NUM_GROUPS - 1))); do echo "NODE_PORT_$g=$(free_port)"; done
    local first="${GATEWAY_PORT:-}"
    local ports=""
    for i in $(seq 0 $((NUM_GATEWAYS - 1))); do
      if [ -n "$first" ]; then p=$((first + i)); else p="$(free_port)"; fi
      echo "GATEWAY_PORT_$i=$p"
      ports="$ports $p"
    done
    echo "GATEWAY_PORTS=\"${ports# }\""
  } > "$DIR/cluster.env"
  source "$DIR/cluster.env"

  etcd --name tessera --data-dir "$DIR/etcd" \
    --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "tessera=http://127.0.0.1:$peer_port" > "$DIR/etcd.log" 2>&1 &
  echo $! > "$DIR/etcd.pid"
  if ! wait_for 20 curl -sf "$ETCD_URL/health"; then
    echo "cluster: etcd did not start; see $DIR/etcd.log" >&2
    return 1
  fi
  "$BIN" ctl --etcd "$ETCD_URL" init --groups "$NUM_GROUPS" > "$DIR/ctl.log" 2>&1 || {
    cat "$DIR/ctl.log" >&2
    return 1
  }
  for g in $(seq 0 $((NUM_GROUPS - 1))); do start_node "$g"; done
  for g in $(seq 0 $((NUM_GROUPS - 1))); do
    if ! wait_for 30 node_registered "$g"; then
      echo "cluster: storage node $g did not register; see $DIR/node$g.log" >&2
      tail -n 20 "$DIR/node$g.log" >&2
      return 1
    fi
  done
  for i in $(seq 0 $((NUM_GATEWAYS - 1))); do
    local port
    port="$(eval echo "\$GATEWAY_PORT_$i")"
    "$BIN" gateway --etcd "$ETCD_URL" --port "$port" --listen 127.0.0.1 > "$DIR/gateway$i.log" 2>&1 &
    echo $! > "$DIR/gateway$i.pid"
  done
  for i in $(seq 0 $((NUM_GATEWAYS - 1))); do
    local port
    port="$(eval echo "\$GATEWAY_PORT_$i")"
    if ! wait_for 30 pg_isready -q -h 127.0.0.1 -p "$port" -t 1; then
      echo "cluster: gateway $i did not start; see $DIR/gateway$i.log" >&2
      tail -n 20 "$DIR/gateway$i.log" >&2
      return 1
    fi
  done
  echo "cluster up in $DIR: etcd $ETCD_URL, $NUM_GROUPS shard groups, gateways on ports $GATEWAY_PORTS"
  echo "connect: psql -h 127.0.0.1 -p $GATEWAY_PORT_0 -U tessera tessera"
}

stop_pid_file() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  kill -CONT "$pid" 2> /dev/null  # a SIGSTOPped node must wake to see SIGTERM
  kill -TERM "$pid" 2> /dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  for f in "$DIR"/gateway*.pid; do stop_pid_file "$f"; done
  for f in "$DIR"/node*.pid; do stop_pid_file "$f"; done
  stop_pid_file "$DIR/etcd.pid"
  rm -rf "$DIR"
}

action="${1:-}"
shift || true
case "$action" in
  start) DIR="${1:-/tmp/tessera-cluster}"; cmd_start ;;
  stop) DIR="${1:-/tmp/tessera-cluster}"; cmd_stop ;;
  status)
    DIR="${1:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    "$BIN" ctl --etcd "$ETCD_URL" status
    ;;
  kill-node)
    g="$1"; sig="${2:-KILL}"; DIR="${3:-/tmp/tessera-cluster}"
    pid="$(cat "$DIR/node$g.pid")"
    kill "-$sig" "$pid"
    # A killed node is gone (its port free) when this returns.
    if [ "$sig" = KILL ] || [ "$sig" = 9 ]; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.05; done
    fi
    ;;
  restart-node)
    g="$1"; DIR="${2:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    start_node "$g"
    wait_for 30 node_registered "$g" || {
      echo "cluster: storage node $g did not come back; see $DIR/node$g.log" >&2
      exit 1
    }
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
