#!/usr/bin/env bash
# pgbench on Tessera: pgbench -i -s 2, TPC-B with 8 clients (-j 2) for 15 s,
# then -S and TPC-B for 5 s each under -M simple and -M prepared. Every run
# must end with zero failed transactions, and afterwards TPC-B's invariant
# holds: sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta).
#
#   invariant.sh                        throwaway server ($TESSERA_BIN or $BUILD_DIR/cluster/tessera)
#   invariant.sh -p PORT [-h H -U U -d D]   a running server (e.g. PostgreSQL 15)
# Last line: "pgbench total: P passed, F failed". Takes about 45 s.
set -uo pipefail
suite=pgbench
source "$(dirname "$0")/lib.sh"
cleanup() { tessera_server_stop; rm -rf "$work"; }
trap cleanup EXIT

if [ -z "$port" ]; then
  tessera_server_start "$TESSERA_BIN" || { fail server "did not start"; pgbench_total; }
  port="$SERVER_PORT"
fi
pgbench_init "init -s 2" 2 || pgbench_total
# pgbench -i loads 100000 accounts, 10 tellers and 1 branch per scale unit.
counts=$(psql_q "SELECT (SELECT count(*) FROM pgbench_accounts) || ' ' || (SELECT count(*) FROM pgbench_tellers) || ' ' || (SELECT count(*) FROM pgbench_branches)" 2>&1)
if [ "$counts" = "200000 20 2" ]; then pass "init row counts"; else fail "init row counts" "got '$counts', want '200000 20 2'"; fi
pgbench_run "tpcb 8 clients 15s" -c 8 -j 2 -T 15
tpcb_invariant "invariant after tpcb"
# -n: no VACUUM and no TRUNCATE pgbench_history before these runs, so the
# invariant covers every TPC-B run.
pgbench_run "select-only simple 5s" -n -S -M simple -c 8 -j 2 -T 5
pgbench_run "select-only prepared 5s" -n -S -M prepared -c 8 -j 2 -T 5
pgbench_run "tpcb simple 5s" -n -M simple -c 8 -j 2 -T 5
pgbench_run "tpcb prepared 5s" -n -M prepared -c 8 -j 2 -T 5
tpcb_invariant "invariant at the end"
if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2> /dev/null; then
  fail server "died during the run; its log: $(tail -n 5 "$SERVER_DIR/server.log")"
fi
pgbench_total
