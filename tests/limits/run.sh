#!/usr/bin/env bash
# Limits tests (test_limits.py, issue 9): memory accounting (53200 for a sort,
# a hash aggregate, a fragment's aggregate, a join's build side and a write
# set too big for --memory-limit or tessera.statement_memory_limit, other
# sessions untouched, VmRSS under the limit; a sort past work_mem spilling to
# temporary files that go after its end, an error or a cancel; TRUNCATE and
# DROP TABLE of 160,000 rows under 200MB) and cancellation in every
# operator (statement_timeout, cancel requests and lost clients stop a sort,
# a hash aggregate, a hash join and a nested-loop join within bounds).
#
#   run.sh              embedded servers the test starts itself, then the same
#                       timeout and cancel tests on a loopback cluster
#                       (scripts/cluster.sh, 3 storage nodes, 2 gateways: the
#                       second is killed mid-statement by the last test)
#   LIMITS_CLUSTER=0    skip the cluster part
#   run.sh TEST...      only these tests (names as printed)
#
# Binary: $TESSERA_BIN, else $BUILD_DIR/cluster/tessera (default ./build).
# Prints every "PASS/FAIL limits <test>" line and, last, "limits total: P
# passed, F failed"; exits non-zero when a check failed. About 2 minutes.
set -uo pipefail
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
p=0
f=0
cluster_dir=""
cleanup() {
  [ -n "$cluster_dir" ] && TESSERA_BIN="$BIN" bash "$root/scripts/cluster.sh" stop "$cluster_dir" > /dev/null 2>&1
}
trap cleanup EXIT

count() {  # count LOG: adds its PASS/FAIL lines; a run without a total is one failure
  local log="$1" rc="$2"
  grep -vE '^limits total:' "$log"
  p=$((p + $(grep -c '^PASS ' "$log")))
  f=$((f + $(grep -c '^FAIL ' "$log")))
  if ! grep -q '^limits total:' "$log"; then
    echo "FAIL limits $3: exited with $rc without a total"
    f=$((f + 1))
  fi
}

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  echo "FAIL limits: $PYTHON cannot import psycopg2 (package python3-psycopg2)"
  echo "limits total: 0 passed, 1 failed"
  exit 1
fi

log="$(mktemp /tmp/tessera-limits.XXXXXX)"
timeout -k 10 600 "$PYTHON" "$here/test_limits.py" embedded "$BIN" "$@" > "$log" 2>&1
count "$log" $? embedded

if [ "${LIMITS_CLUSTER:-1}" != 0 ]; then
  cluster_dir="$(mktemp -d /tmp/tessera-limits-cluster.XXXXXX)"
  if out=$(TESSERA_BIN="$BIN" CLUSTER_GROUPS=3 CLUSTER_GATEWAYS=2 NO_SYNC=1 \
      STORAGE_ARGS="--memory-limit 8GB" GATEWAY_ARGS="--memory-limit 8GB" \
      timeout 120 bash "$root/scripts/cluster.sh" start "$cluster_dir" 2>&1); then
    # shellcheck disable=SC1091
    source "$cluster_dir/cluster.env"
    pids="$(cat "$cluster_dir"/gateway0.pid "$cluster_dir"/node*.pid | paste -sd, -)"
    # The second gateway is the one test_dead_gateway_stops_fragments kills.
    spare="$GATEWAY_PORT_1,$(cat "$cluster_dir"/gateway1.pid)"
    timeout -k 10 600 "$PYTHON" "$here/test_limits.py" cluster "$GATEWAY_PORT_0" "$pids" "$spare" "$@" > "$log" 2>&1
    rc=$?
    sed -E 's/^(PASS|FAIL) limits /\1 limits cluster_/' "$log" > "$log.c"
    count "$log.c" "$rc" cluster
    rm -f "$log.c"
    for pidfile in "$cluster_dir"/gateway0.pid "$cluster_dir"/node*.pid; do
      if ! kill -0 "$(cat "$pidfile")" 2> /dev/null; then
        echo "FAIL limits cluster: $(basename "$pidfile" .pid) died; its log:"
        tail -n 20 "${pidfile%.pid}.log"
        f=$((f + 1))
      fi
    done
  else
    echo "FAIL limits cluster: the cluster did not start: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
    f=$((f + 1))
  fi
fi
rm -f "$log"
echo "limits total: $p passed, $f failed"
[ "$f" -eq 0 ]
