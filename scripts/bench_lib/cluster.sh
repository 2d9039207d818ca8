# shellcheck shell=bash
# Sourced helpers: throwaway loopback Tessera clusters (scripts/cluster.sh) for
# scripts/bench, several at once, each under a name (the bench "side").
#   bench_cluster_start NAME GROUPS GATEWAYS BINARY [REPLICAS]
#       starts etcd, GROUPS shard groups of REPLICAS storage nodes each (default
#       1: unreplicated), GATEWAYS gateways in a temporary
#       directory; sets CL_DIR[NAME], CL_PORTS[NAME] (gateway ports, space
#       separated), CL_NODE_PIDS[NAME], CL_GW_PIDS[NAME]. Storage nodes fsync at
#       commit (NO_SYNC is unset for the call), like `tessera start` without
#       --no-sync, which is how tessera_server_start runs the embedded server.
#   bench_cluster_stop NAME     checks its logs (bench_cluster_check), stops it, removes its directory
#   bench_cluster_stop_all
#   bench_cluster_check NAME    appends odd log lines and dead processes to CL_ODD[NAME]
#   proc_cpu_ms PID             user+system CPU of a process so far, in ms ("" if it is gone)
# BENCH_KEEP_LOGS=DIR copies every cluster's logs to DIR/NAME before it is removed.

declare -A CL_DIR CL_PORTS CL_NODE_PIDS CL_GW_PIDS CL_ODD
CLK_TCK="$(getconf CLK_TCK 2> /dev/null || echo 100)"

bench_cluster_start() {  # bench_cluster_start NAME GROUPS GATEWAYS BINARY [REPLICAS]
  local name="$1" groups="$2" gateways="$3" binary="$4" replicas="${5:-1}" dir f
  dir="$(mktemp -d "/tmp/tessera-bench-$name.XXXXXX")"
  CL_DIR[$name]="$dir"
  if ! env -u NO_SYNC -u GATEWAY_PORT CLUSTER_GROUPS="$groups" CLUSTER_GATEWAYS="$gateways" \
    CLUSTER_REPLICAS="$replicas" TESSERA_BIN="$binary" scripts/cluster.sh start "$dir" > "$dir.start.log" 2>&1; then
    echo "cluster $name: did not start:" >&2
    tail -n 20 "$dir.start.log" >&2
    rm -f "$dir.start.log"
    return 1
  fi
  rm -f "$dir.start.log"
  CL_PORTS[$name]="$(
    # shellcheck disable=SC1091
    source "$dir/cluster.env"
    echo "$GATEWAY_PORTS"
  )"
  CL_NODE_PIDS[$name]=""
  for f in "$dir"/node*.pid; do CL_NODE_PIDS[$name]+="${CL_NODE_PIDS[$name]:+ }$(cat "$f")"; done
  CL_GW_PIDS[$name]=""
  for f in "$dir"/gateway*.pid; do CL_GW_PIDS[$name]+="${CL_GW_PIDS[$name]:+ }$(cat "$f")"; done
}

# The gateway port with index I (default 0) of cluster NAME.
cluster_port() {  # cluster_port NAME [I]
  local ports
  read -r -a ports <<< "${CL_PORTS[$1]}"
  echo "${ports[${2:-0}]}"
}

proc_cpu_ms() {  # proc_cpu_ms PID: utime+stime (fields 14 and 15 of /proc/PID/stat)
  local stat
  stat="$(cat "/proc/$1/stat" 2> /dev/null)" || return 0
  # The command name (field 2) may hold spaces: cut up to its closing parenthesis,
  # then utime and stime are the 12th and 13th fields left.
  awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / tck }' <<< "$stat"
}

bench_cluster_check() {  # bench_cluster_check NAME
  local name="$1" dir="${CL_DIR[$1]:-}" f pid lines
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for f in "$dir"/node*.pid "$dir"/gateway*.pid "$dir"/etcd*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill -0 "$pid" 2> /dev/null ||
      CL_ODD[$name]+="$(basename "$f" .pid) (pid $pid) had exited before the bench stopped it"$'\n'
  done
  for f in "$dir"/node*.log "$dir"/gateway*.log; do
    [ -f "$f" ] || continue
    lines="$(grep -E '\[(warning|error|critical)\]|terminate|Abort|Segmentation|Sanitizer|assert' "$f" |
      sed -E 's/^\[[^]]*\] \[[^]]*\] //' | sort | uniq -c | sort -rn | head -n 5)"
    [ -n "$lines" ] && CL_ODD[$name]+="$(basename "$f"):"$'\n'"$(sed 's/^/  /' <<< "$lines" | cut -c1-200)"$'\n'
  done
}

bench_cluster_stop() {  # bench_cluster_stop NAME
  local name="$1" dir="${CL_DIR[$1]:-}"
  [ -n "$dir" ] || return 0
  if [ -d "$dir" ]; then
    bench_cluster_check "$name"
    if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
      mkdir -p "$BENCH_KEEP_LOGS/$name" && cp "$dir"/*.log "$BENCH_KEEP_LOGS/$name/" 2> /dev/null
    fi
  fi
  TESSERA_BIN="${TESSERA_BIN:-build/cluster/tessera}" scripts/cluster.sh stop "$dir" > /dev/null 2>&1
  rm -rf "$dir"
  CL_DIR[$name]=""
}

bench_cluster_stop_all() {
  local name
  for name in "${!CL_DIR[@]}"; do bench_cluster_stop "$name"; done
}
