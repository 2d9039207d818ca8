# shellcheck shell=bash
# Sourced by tests/cluster/*.sh: a throwaway loopback cluster
# (scripts/cluster.sh) per script, checks and totals.
#
#   TESSERA_BIN   the binary (default $BUILD_DIR/cluster/tessera, BUILD_DIR default build)
#   KEEP_CLUSTER=1  when a check failed, keep the cluster directory (data and
#                 every process's log) instead of removing it; its path is printed
#
# Each check prints "PASS <suite> <check>" or "FAIL <suite> <check>: <reason>";
# cluster_total prints "<suite> total: P passed, F failed" and exits non-zero
# when a check failed.
suite="${suite:?set suite before sourcing lib.sh}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../scripts/process.sh"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" == /* ]] || build="$root/$build"
TESSERA_BIN="${TESSERA_BIN:-$build/cluster/tessera}"
[[ "$TESSERA_BIN" == /* ]] || TESSERA_BIN="$(pwd)/$TESSERA_BIN"
export TESSERA_BIN
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"
CLUSTER_SH="$root/scripts/cluster.sh"
CLUSTER_DIR=""
passed=0
failed=0

pass() { echo "PASS $suite $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $suite $1: $2"; failed=$((failed + 1)); }

cluster_total() {
  echo "$suite total: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# python_suite SCRIPT TIMEOUT: the whole of a Python-driven script: checks
# psycopg2, starts a 3-group, 2-gateway cluster, runs tests/cluster/SCRIPT
# against it (its PASS/FAIL lines count), checks no process died, and exits
# with the totals.
python_suite() {
  if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
    fail "psycopg2" "$PYTHON cannot import psycopg2 (package python3-psycopg2)"
    cluster_total
  fi
  cluster_start 3 2 || cluster_total
  run_python "$1" "$2" "$here/$1" "$CLUSTER_DIR"
  check_processes_alive
  cluster_total
}

# cluster_start GROUPS GATEWAYS: starts a cluster in a new temporary directory
# ($CLUSTER_DIR) and sources its cluster.env (ETCD_URL, NODE_PORT_<g>,
# GATEWAY_PORT_<i>, GATEWAY_PORTS). Storage nodes skip fsync (NO_SYNC=1).
# CLUSTER_REPLICAS (default 1) replicas per group.
cluster_start() {
  local out
  CLUSTER_DIR="$(mktemp -d "/tmp/tessera-$suite.XXXXXX")"
  if ! out=$(CLUSTER_GROUPS="$1" CLUSTER_GATEWAYS="$2" CLUSTER_REPLICAS="${CLUSTER_REPLICAS:-1}" NO_SYNC=1 timeout 120 bash "$CLUSTER_SH" start "$CLUSTER_DIR" 2>&1); then
    fail "cluster start" "$(echo "$out" | tail -n 5 | tr '\n' ' ')"
    return 1
  fi
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/cluster.env"
  pass "cluster start ($1 groups of ${CLUSTER_REPLICAS:-1} replicas, $2 gateways)"
}

# Signals what cluster.sh started (their pid files), keeping the directory.
stop_keeping_dir() {
  local f pid
  for f in "$CLUSTER_DIR"/gateway*.pid "$CLUSTER_DIR"/node*.pid "$CLUSTER_DIR"/etcd*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill -CONT "$pid" 2> /dev/null
    kill -TERM "$pid" 2> /dev/null || continue
    for _ in $(seq 1 50); do pid_running "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null
  done
}

# The EXIT trap: stops the cluster; on failure shows the log lines that look
# like trouble, and with KEEP_CLUSTER=1 keeps the directory.
cluster_stop() {
  [ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR" ] || return 0
  if [ "$failed" -ne 0 ]; then
    local f
    for f in "$CLUSTER_DIR"/node*.log "$CLUSTER_DIR"/gateway*.log; do
      [ -f "$f" ] || continue
      grep -E '\[(error|critical|warning)\]' "$f" | tail -n 5 | sed "s|^|    $(basename "$f"): |"
    done
  fi
  if [ "$failed" -ne 0 ] && [ "${KEEP_CLUSTER:-0}" = 1 ]; then
    stop_keeping_dir
    echo "    $suite: kept the cluster directory $CLUSTER_DIR (logs: node<g>.log, gateway<i>.log, etcd<m>.log)"
  else
    bash "$CLUSTER_SH" stop "$CLUSTER_DIR" > /dev/null 2>&1
  fi
}

# check_processes_alive: every storage node and gateway of the cluster still runs.
check_processes_alive() {
  local f pid dead=""
  for f in "$CLUSTER_DIR"/node*.pid "$CLUSTER_DIR"/gateway*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    pid_running "$pid" || dead="$dead $(basename "$f" .pid)"
  done
  if [ -z "$dead" ]; then
    pass "processes alive at the end"
  else
    # Every dead process's last words: a crash leaves no warning line, and
    # the first to die need not be the one that failed first.
    local name last=""
    for name in $dead; do
      last="$last; last lines of $name.log: $(tail -n 3 "$CLUSTER_DIR/$name.log" | tr '\n' ' ')"
    done
    fail "processes alive at the end" "died:$dead$last"
  fi
}

# run_python NAME TIMEOUT SCRIPT ARGS...: runs a Python check script, echoes its
# PASS/FAIL lines and adds them to the totals; a script that dies or times out
# without a FAIL line counts as one failure.
run_python() {
  local name="$1" limit="$2" log rc p f
  shift 2
  log="$(mktemp "/tmp/tessera-$suite-py.XXXXXX")"
  PYTHONDONTWRITEBYTECODE=1 timeout -k 5 "$limit" "$PYTHON" "$@" > "$log" 2>&1
  rc=$?
  grep -E '^(PASS|FAIL|XFAIL) ' "$log"  # XFAIL: a known fault, shown, counted neither way
  p=$(grep -c '^PASS ' "$log")
  f=$(grep -c '^FAIL ' "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
      fail "$name" "timed out after ${limit}s"
    else
      fail "$name" "exited with $rc"
    fi
    grep -vE '^(PASS|FAIL|XFAIL) ' "$log" | tail -n 10 | sed 's/^/    /'
  fi
  rm -f "$log"
}
