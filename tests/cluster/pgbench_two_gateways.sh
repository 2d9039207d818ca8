#!/usr/bin/env bash
# pgbench on a loopback cluster (3 shard groups, 2 gateways): pgbench -i -s 10
# through gateway 0, then TPC-B for 30 s with 8 clients as two pgbench
# processes at once, 4 clients on each gateway. Checks: both runs end with
# zero failed transactions and processed > 0; TPC-B's invariant
# sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta); pgbench_history
# has one row per processed transaction; the row counts of the four tables;
# gateway 1 reads the same sums and counts as gateway 0.
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/pgbench_two_gateways.sh
#   PGBENCH_SCALE=10 PGBENCH_SECONDS=30   (defaults)
#   KEEP_CLUSTER=1   keep the cluster directory when a check fails
# Last line: "cluster-pgbench total: P passed, F failed". Takes about 2 minutes
# (the load with -s 10 alone takes about a minute).
set -uo pipefail
suite=cluster-pgbench
source "$(dirname "$0")/lib.sh"
source "$root/tests/pgbench/judge_run.sh"
SCALE="${PGBENCH_SCALE:-10}"
SECONDS_RUN="${PGBENCH_SECONDS:-30}"
PGBENCH="${PGBENCH:-pgbench}"
work="$(mktemp -d /tmp/tessera-cluster-pgbench-work.XXXXXX)"
# shellcheck disable=SC2317  # the EXIT trap
cleanup() { cluster_stop; rm -rf "$work"; }
trap cleanup EXIT

psql_at() {  # psql_at PORT SQL: one line, unaligned, fields separated by spaces
  PGCONNECT_TIMEOUT=10 timeout 120 psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U tessera -d tessera -c "$2"
}

cluster_start 3 2 || cluster_total
gw0="$GATEWAY_PORT_0"
gw1="$GATEWAY_PORT_1"

# --- load ---------------------------------------------------------------------
t0=$(date +%s)
if timeout 400 "$PGBENCH" -i -s "$SCALE" -q -h 127.0.0.1 -p "$gw0" -U tessera tessera > "$work/init.log" 2>&1; then
  pass "init -s $SCALE through gateway 0 ($(($(date +%s) - t0)) s)"
else
  fail "init -s $SCALE through gateway 0" "pgbench -i failed: $(grep -m1 -iE 'error|fatal' "$work/init.log" || tail -n 1 "$work/init.log")"
  cluster_total
fi

# --- two pgbench processes at once, one per gateway ----------------------------
limit=$((SECONDS_RUN + 90))
timeout "$limit" "$PGBENCH" -n -c 4 -j 2 -T "$SECONDS_RUN" -h 127.0.0.1 -p "$gw0" -U tessera tessera > "$work/run0.log" 2>&1 &
pid0=$!
timeout "$limit" "$PGBENCH" -n -c 4 -j 2 -T "$SECONDS_RUN" -h 127.0.0.1 -p "$gw1" -U tessera tessera > "$work/run1.log" 2>&1 &
pid1=$!
wait "$pid0"
rc0=$?
wait "$pid1"
rc1=$?

processed=0
check_run() {  # check_run I RC: the pgbench run on gateway I
  judge_pgbench_run "tpcb 4 clients ${SECONDS_RUN}s on gateway $1" "$2" "$work/run$1.log"
  processed=$((processed + PGBENCH_PROCESSED))
}
check_run 0 "$rc0"
check_run 1 "$rc1"

# --- invariant, history and row counts, through each gateway -------------------
state_sql="SELECT (SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts),
  (SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches),
  (SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers),
  (SELECT coalesce(sum(delta), 0) FROM pgbench_history),
  (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_tellers),
  (SELECT count(*) FROM pgbench_branches), (SELECT count(*) FROM pgbench_history)"
state0=$(psql_at "$gw0" "$state_sql" 2>&1)
rs0=$?
state1=$(psql_at "$gw1" "$state_sql" 2>&1)
rs1=$?

if [ $rs0 -ne 0 ]; then
  fail "tpcb invariant" "query on gateway 0 failed: $state0"
  fail "history rows = transactions" "query on gateway 0 failed"
  fail "row counts" "query on gateway 0 failed"
else
  read -r a b t h na nt nb nh <<< "$state0"
  if [ "$a" = "$b" ] && [ "$b" = "$t" ] && [ "$t" = "$h" ]; then
    pass "tpcb invariant (sum $a)"
  else
    fail "tpcb invariant" "sum(abalance)=$a sum(bbalance)=$b sum(tbalance)=$t sum(delta)=$h"
  fi
  if [ "$nh" = "$processed" ]; then
    pass "history rows = transactions ($nh)"
  else
    fail "history rows = transactions" "pgbench_history has $nh rows, the two runs processed $processed transactions"
  fi
  want="$((100000 * SCALE)) $((10 * SCALE)) $SCALE"
  if [ "$na $nt $nb" = "$want" ]; then
    pass "row counts (accounts tellers branches: $want)"
  else
    fail "row counts" "accounts tellers branches: got '$na $nt $nb', want '$want'"
  fi
fi
if [ $rs1 -ne 0 ]; then
  fail "gateway 1 reads the same" "query on gateway 1 failed: $state1"
elif [ $rs0 -eq 0 ] && [ "$state0" = "$state1" ]; then
  pass "gateway 1 reads the same"
else
  fail "gateway 1 reads the same" "sums and counts (a b t delta, rows a t b h): gateway 0 '$state0', gateway 1 '$state1'"
fi
check_processes_alive
cluster_total
