#!/usr/bin/env bash
# A loopback cluster for development, tests and benchmarks (DESIGN.md,
# Processes): an etcd of 1 or 3 members, GROUPS shard groups of REPLICAS storage nodes each,
# GATEWAYS gateways. Every process logs to a file of its own in the cluster
# directory. Replica 0 of group G is node<G> (started first: the primary),
# replica R > 0 is node<G>r<R> (a backup).
#
#   scripts/cluster.sh start [DIR]   start (DIR default /tmp/tessera-cluster);
#                                    prints the gateway ports and writes DIR/cluster.env
#   scripts/cluster.sh stop [DIR]    stop every process and remove DIR
#   scripts/cluster.sh status [DIR]  tessera ctl status
#   scripts/cluster.sh kill-node G [SIGNAL] [DIR]  signal storage node G (default KILL)
#   scripts/cluster.sh restart-node G [DIR]        start storage node G again (same data)
#   scripts/cluster.sh kill-replica G R [SIGNAL] [DIR] / restart-replica G R [DIR]   the same for replica R
#   scripts/cluster.sh kill-gateway I [SIGNAL] [DIR] / restart-gateway I [DIR]       the same for gateway I
#   scripts/cluster.sh stop-etcd [DIR] / start-etcd [DIR]   stop every etcd member (SIGTERM) / start them again
#   scripts/cluster.sh kill-etcd M [SIGNAL] [DIR] / restart-etcd M [DIR]   the same for etcd member M
#   scripts/cluster.sh etcd-leader [DIR]    prints the member number of etcd's leader
#
#   TESSERA_BIN  the binary (default build/cluster/tessera)
#   CLUSTER_GROUPS=3 CLUSTER_GATEWAYS=2 CLUSTER_REPLICAS=2   cluster shape (every group
#                replicated: a primary and an in-sync backup; 1 for none)
#   CLUSTER_ETCD=1     etcd members (1 or 3); processes get every member's URL
#   NO_SYNC=1    storage nodes skip fsync (tests)
#   GATEWAY_PORT first gateway SQL port (default: free ports)
#   STORAGE_ARGS, GATEWAY_ARGS  more arguments for every storage node or
#                gateway (e.g. "--memory-limit 512MB")
#   CLUSTER_TLS=1  mutual TLS between the cluster's processes (the default):
#                `tessera ctl certs` makes a CA and a certificate in DIR/certs,
#                and cluster.env's CLUSTER_LINK_ARGS passes them (--cluster-ca,
#                --cluster-cert, --cluster-key); 0 for plain TCP links
#   CLUSTER_ETCD_TLS=1  etcd serves https:// only and requires client
#                certificates (the same CA); cluster.env's ETCD_TLS_ARGS
#                (--etcd-ca, --etcd-cert, --etcd-key) and ETCD_CURL_ARGS pass
#                them. Default 0: etcd on plain http://
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/process.sh"
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BIN="${TESSERA_BIN:-$ROOT/build/cluster/tessera}"
NUM_GROUPS="${CLUSTER_GROUPS:-3}"
NUM_GATEWAYS="${CLUSTER_GATEWAYS:-2}"
NUM_REPLICAS="${CLUSTER_REPLICAS:-2}"
NUM_ETCD="${CLUSTER_ETCD:-1}"


wait_for() {  # wait_for SECONDS COMMAND...: polls every 0.1 s
  local tries=$(($1 * 10))
  shift
  for _ in $(seq 1 "$tries"); do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

replica_name() {  # replica_name GROUP REPLICA: node<G> for replica 0, node<G>r<R> otherwise
  if [ "$2" = 0 ]; then echo "node$1"; else echo "node$1r$2"; fi
}

replica_port() {  # replica_port GROUP REPLICA
  if [ "$2" = 0 ]; then eval echo "\$NODE_PORT_$1"; else eval echo "\$NODE_PORT_$1_$2"; fi
}

start_node() {  # start_node GROUP [REPLICA]
  local g="$1" r="${2:-0}" sync_flag="" name
  [ "${NO_SYNC:-0}" = 1 ] && sync_flag="--no-sync"
  name="$(replica_name "$g" "$r")"
  mkdir -p "$DIR/$name"
  "$BIN" storage --etcd "$ETCD_ENDPOINTS" ${ETCD_TLS_ARGS:-} --group "$g" --data "$DIR/$name/data" \
    --listen "127.0.0.1:$(replica_port "$g" "$r")" $sync_flag ${CLUSTER_LINK_ARGS:-} ${STORAGE_ARGS:-} \
    >> "$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
}

etcd_port() {  # etcd_port MEMBER client|peer
  if [ "$2" = client ]; then eval echo "\$ETCD_CLIENT_PORT_$1"; else eval echo "\$ETCD_PEER_PORT_$1"; fi
}

start_etcd_member() {  # start_etcd_member M: on DIR/etcd<M> (kept across a stop)
  local m="$1" initial="" i url
  for i in $(seq 0 $((ETCD_MEMBERS - 1))); do
    initial="$initial${initial:+,}etcd$i=http://127.0.0.1:$(etcd_port "$i" peer)"
  done
  url="${ETCD_SCHEME:-http}://127.0.0.1:$(etcd_port "$m" client)"
  local tls=()
  if [ "${ETCD_SCHEME:-http}" = https ]; then
    tls=(--cert-file "$DIR/certs/node.crt" --key-file "$DIR/certs/node.key" --trusted-ca-file "$DIR/certs/ca.crt"
      --client-cert-auth)
  fi
  etcd --name "etcd$m" --data-dir "$DIR/etcd$m" "${tls[@]}" \
    --listen-client-urls "$url" --advertise-client-urls "$url" \
    --listen-peer-urls "http://127.0.0.1:$(etcd_port "$m" peer)" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_port "$m" peer)" \
    --initial-cluster "$initial" --initial-cluster-state new >> "$DIR/etcd$m.log" 2>&1 &
  echo $! > "$DIR/etcd$m.pid"
}

etcd_healthy() {  # etcd_healthy M
  curl -sf ${ETCD_CURL_ARGS:-} "${ETCD_SCHEME:-http}://127.0.0.1:$(etcd_port "$1" client)/health" | grep -q '"health":"true"'
}

start_etcd() {  # every member, then waits until each says it is healthy (a quorum formed)
  local m
  for m in $(seq 0 $((ETCD_MEMBERS - 1))); do start_etcd_member "$m"; done
  for m in $(seq 0 $((ETCD_MEMBERS - 1))); do
    if ! wait_for 20 etcd_healthy "$m"; then
      echo "cluster: etcd member $m did not start; see $DIR/etcd$m.log" >&2
      return 1
    fi
  done
}

etcd_leader() {  # the number of the member that leads (nothing when none answers)
  local m status
  for m in $(seq 0 $((ETCD_MEMBERS - 1))); do
    status="$(curl -sf ${ETCD_CURL_ARGS:-} -X POST "${ETCD_SCHEME:-http}://127.0.0.1:$(etcd_port "$m" client)/v3/maintenance/status" -d '{}')" || continue
    python3 -c 'import json, sys; s = json.loads(sys.argv[1]); sys.exit(0 if s.get("leader") == s["header"]["member_id"] else 1)' "$status" &&
      echo "$m" && return 0
  done
  return 1
}

start_gateway() {  # start_gateway I
  local port
  port="$(eval echo "\$GATEWAY_PORT_$1")"
  # shellcheck disable=SC2086 # GATEWAY_ARGS is a list of words
  "$BIN" gateway --etcd "$ETCD_ENDPOINTS" ${ETCD_TLS_ARGS:-} --port "$port" --listen 127.0.0.1 ${CLUSTER_LINK_ARGS:-} ${GATEWAY_ARGS:-} \
    >> "$DIR/gateway$1.log" 2>&1 &
  echo $! > "$DIR/gateway$1.pid"
}

gateway_ready() {  # gateway_ready I
  pg_isready -q -h 127.0.0.1 -p "$(eval echo "\$GATEWAY_PORT_$1")" -t 1
}

etcd_post() {  # etcd_post PATH BODY: to the first member that answers
  local url
  for url in ${ETCD_ENDPOINTS//,/ }; do
    curl -sf ${ETCD_CURL_ARGS:-} -X POST "$url$1" -d "$2" && return 0
  done
  return 1
}

node_registered() {  # node_registered GROUP [REPLICA]: the node started last registered itself in etcd
  local prefix pid name
  name="$(replica_name "$1" "${2:-0}")"
  pid="$(cat "$DIR/$name.pid")"
  pid_running "$pid" || return 1
  # Every replica, primary or backup, registers under the group's replicas
  # prefix, naming its pid. The v3 JSON API takes and returns base64.
  prefix="$(printf '/tessera/groups/%s/replicas/' "$1")"
  etcd_post /v3/kv/range \
    "{\"key\": \"$(printf '%s' "$prefix" | base64)\", \"range_end\": \"$(printf '%s' "${prefix%/}0" | base64)\"}" |
    python3 -c 'import base64, json, sys; [print(base64.b64decode(kv["value"]).decode()) for kv in json.load(sys.stdin).get("kvs", [])]' |
    grep -q "\"pid\":$pid[,}]"
}

cmd_start() {
  if [ ! -x "$BIN" ]; then
    echo "cluster: $BIN was not built" >&2
    return 1
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  # Every port at once, so that they are distinct, and outside the ephemeral
  # range (scripts/free_ports.py says why).
  local ports=() next
  mapfile -t ports < <(python3 "$ROOT/scripts/free_ports.py" $((2 * NUM_ETCD + NUM_GROUPS * NUM_REPLICAS + NUM_GATEWAYS)))
  next=0
  local endpoints="" scheme=http
  [ "${CLUSTER_ETCD_TLS:-0}" = 1 ] && scheme=https
  {
    echo "ETCD_MEMBERS=$NUM_ETCD"
    for m in $(seq 0 $((NUM_ETCD - 1))); do
      echo "ETCD_CLIENT_PORT_$m=${ports[next]}"
      endpoints="$endpoints${endpoints:+,}$scheme://127.0.0.1:${ports[next]}"
      echo "ETCD_PEER_PORT_$m=${ports[next + 1]}"
      next=$((next + 2))
    done
    # ETCD_URL: member 0, for curl and the tests; ETCD_ENDPOINTS: every member, for tessera.
    echo "ETCD_URL=$scheme://127.0.0.1:${ports[0]}"
    echo "ETCD_SCHEME=$scheme"
    echo "ETCD_ENDPOINTS=$endpoints"
    echo "CLUSTER_GROUPS=$NUM_GROUPS"
    echo "CLUSTER_REPLICAS=$NUM_REPLICAS"
    echo "NO_SYNC=${NO_SYNC:-0}"  # so that restart-node starts nodes the same way
    for g in $(seq 0 $((NUM_GROUPS - 1))); do
      echo "NODE_PORT_$g=${ports[next++]}"
      for r in $(seq 1 $((NUM_REPLICAS - 1))); do echo "NODE_PORT_${g}_$r=${ports[next++]}"; done
    done
    local first="${GATEWAY_PORT:-}"
    local gateway_ports=""
    for i in $(seq 0 $((NUM_GATEWAYS - 1))); do
      if [ -n "$first" ]; then p=$((first + i)); else p="${ports[next++]}"; fi
      echo "GATEWAY_PORT_$i=$p"
      gateway_ports="$gateway_ports $p"
    done
    echo "GATEWAY_PORTS=\"${gateway_ports# }\""
    local certs="$DIR/certs"
    if [ "${CLUSTER_TLS:-1}" = 1 ] || [ "$scheme" = https ]; then
      "$BIN" ctl certs --dir "$certs" > /dev/null || return 1
    fi
    if [ "${CLUSTER_TLS:-1}" = 1 ]; then
      echo "CLUSTER_LINK_ARGS=\"--cluster-ca $certs/ca.crt --cluster-cert $certs/node.crt --cluster-key $certs/node.key\""
    else
      echo "CLUSTER_LINK_ARGS="
    fi
    if [ "$scheme" = https ]; then
      echo "ETCD_TLS_ARGS=\"--etcd-ca $certs/ca.crt --etcd-cert $certs/node.crt --etcd-key $certs/node.key\""
      echo "ETCD_CURL_ARGS=\"--cacert $certs/ca.crt --cert $certs/node.crt --key $certs/node.key\""
    else
      echo "ETCD_TLS_ARGS="
      echo "ETCD_CURL_ARGS="
    fi
  } > "$DIR/cluster.env"
  source "$DIR/cluster.env"

  start_etcd || return 1
  "$BIN" ctl --etcd "$ETCD_ENDPOINTS" ${ETCD_TLS_ARGS:-} init --groups "$NUM_GROUPS" > "$DIR/ctl.log" 2>&1 || {
    cat "$DIR/ctl.log" >&2
    return 1
  }
  # Replica 0 of each group first, so that it becomes the primary; then the backups.
  for r in $(seq 0 $((NUM_REPLICAS - 1))); do
    for g in $(seq 0 $((NUM_GROUPS - 1))); do start_node "$g" "$r"; done
    for g in $(seq 0 $((NUM_GROUPS - 1))); do
      if ! wait_for 30 node_registered "$g" "$r"; then
        local name
        name="$(replica_name "$g" "$r")"
        echo "cluster: storage node $name did not register; see $DIR/$name.log" >&2
        tail -n 20 "$DIR/$name.log" >&2
        return 1
      fi
    done
  done
  for i in $(seq 0 $((NUM_GATEWAYS - 1))); do start_gateway "$i"; done
  for i in $(seq 0 $((NUM_GATEWAYS - 1))); do
    if ! wait_for 30 gateway_ready "$i"; then
      echo "cluster: gateway $i did not start; see $DIR/gateway$i.log" >&2
      tail -n 20 "$DIR/gateway$i.log" >&2
      return 1
    fi
  done
  echo "cluster up in $DIR: etcd $ETCD_ENDPOINTS, $NUM_GROUPS shard groups of $NUM_REPLICAS replicas, gateways on ports $GATEWAY_PORTS"
  echo "connect: psql -h 127.0.0.1 -p $GATEWAY_PORT_0 -U tessera tessera"
}

stop_pid_file() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  kill -CONT "$pid" 2> /dev/null  # a SIGSTOPped node must wake to see SIGTERM
  kill -TERM "$pid" 2> /dev/null || return 0
  for _ in $(seq 1 50); do
    pid_running "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null
}

signal_pid_file() {  # signal_pid_file FILE SIGNAL: a killed process is gone (its port free) on return
  local pid
  pid="$(cat "$1")"
  kill "-$2" "$pid"
  if [ "$2" = KILL ] || [ "$2" = 9 ]; then
    for _ in $(seq 1 100); do pid_running "$pid" || break; sleep 0.05; done
  fi
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  for f in "$DIR"/gateway*.pid; do stop_pid_file "$f"; done
  for f in "$DIR"/node*.pid; do stop_pid_file "$f"; done
  for f in "$DIR"/etcd*.pid; do stop_pid_file "$f"; done
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
    "$BIN" ctl --etcd "$ETCD_ENDPOINTS" ${ETCD_TLS_ARGS:-} ${CLUSTER_LINK_ARGS:-} status
    ;;
  kill-node | kill-replica)
    g="$1"; shift
    if [ "$action" = kill-replica ]; then r="$1"; shift; else r=0; fi
    sig="${1:-KILL}"; DIR="${2:-/tmp/tessera-cluster}"
    signal_pid_file "$DIR/$(replica_name "$g" "$r").pid" "$sig"
    ;;
  restart-node | restart-replica)
    g="$1"; shift
    if [ "$action" = restart-replica ]; then r="$1"; shift; else r=0; fi
    DIR="${1:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    start_node "$g" "$r"
    wait_for 30 node_registered "$g" "$r" || {
      echo "cluster: storage node $(replica_name "$g" "$r") did not come back; see $DIR/$(replica_name "$g" "$r").log" >&2
      exit 1
    }
    ;;
  kill-gateway)
    i="$1"; sig="${2:-KILL}"; DIR="${3:-/tmp/tessera-cluster}"
    signal_pid_file "$DIR/gateway$i.pid" "$sig"
    ;;
  restart-gateway)
    i="$1"; DIR="${2:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    start_gateway "$i"
    wait_for 30 gateway_ready "$i" || {
      echo "cluster: gateway $i did not come back; see $DIR/gateway$i.log" >&2
      exit 1
    }
    ;;
  stop-etcd)
    DIR="${1:-/tmp/tessera-cluster}"
    for f in "$DIR"/etcd*.pid; do stop_pid_file "$f"; done
    ;;
  kill-etcd)
    m="$1"; sig="${2:-KILL}"; DIR="${3:-/tmp/tessera-cluster}"
    signal_pid_file "$DIR/etcd$m.pid" "$sig"
    ;;
  restart-etcd)
    m="$1"; DIR="${2:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    start_etcd_member "$m"
    wait_for 20 etcd_healthy "$m" || {
      echo "cluster: etcd member $m did not come back; see $DIR/etcd$m.log" >&2
      exit 1
    }
    ;;
  etcd-leader)
    DIR="${1:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    etcd_leader
    ;;
  start-etcd)
    DIR="${1:-/tmp/tessera-cluster}"
    source "$DIR/cluster.env"
    start_etcd || exit 1
    ;;
  *)
    sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
