#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): install, build, unit tests
# (ctest), then the SQL tests against a server this script starts on a free
# loopback port with a temporary data directory and stops afterwards.
#
# Counts: ctest tests + sqllogictest records (tests/sql) + regress tests
# (tests/regress) + check lines of tests/drivers, tests/concurrency, tests/psql, tests/pg_dump,
# tests/pgbench, tests/orm, tests/wire, tests/auth, tests/limits and tests/cluster (each starts its own server). The last line is "N passed, M failed"; the exit code is
# non-zero when anything failed, including a server that is missing or does
# not start (that is a failure, not a skip).
#
#   BUILD_DIR=DIR        build and test there instead of ./build
#   TESSERA_SKIP_BUILD=1 test what DIR already holds (for quick re-runs)
#   TESSERA_QUICK=1      skip the slow pgbench tests (tests/pgbench, and the
#                        cluster's pgbench part); CI runs them
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export BUILD_DIR="${BUILD_DIR:-build}"
B="$BUILD_DIR"
source scripts/server.sh
trap tessera_server_stop EXIT

passed=0
failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

bash scripts/setup.sh || { echo "setup failed"; add 0 1; finish; }
mkdir -p "$B"
B="$(cd "$B" && pwd)"
if [ "${TESSERA_SKIP_BUILD:-0}" = 1 ]; then
  echo "== build skipped (TESSERA_SKIP_BUILD=1)"
else
  echo "== build (log: $B/build-output.log)"
fi
if [ "${TESSERA_SKIP_BUILD:-0}" != 1 ] && ! bash scripts/build.sh > "$B/build-output.log" 2>&1; then
  grep -E 'error|FAILED' "$B/build-output.log" | head -n 40
  echo "build failed (targets that did build are still tested)"
  add 0 1
fi

# --- unit tests -------------------------------------------------------------
echo "== ctest"
ctest_log="$B/ctest.log"
(cd "$B" && ctest --output-on-failure --timeout 300 -j"$(nproc)") > "$ctest_log" 2>&1
ctest_rc=$?
grep -E '(Failed|Not Run|Timeout|tests passed)' "$ctest_log" | tail -n 40
if line=$(grep -E '[0-9]+ tests failed out of [0-9]+' "$ctest_log"); then
  f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<< "$line")
  n=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<< "$line")
  add $((n - f)) "$f"
  [ "$f" -eq 0 ] || { echo "--- last lines of $ctest_log:"; tail -n 100 "$ctest_log"; }
elif [ $ctest_rc -ne 0 ]; then
  tail -n 20 "$ctest_log"
  add 0 1
else
  echo "ctest: no tests registered"
fi

# --- SQL tests against a live server -----------------------------------------
echo "== server"
if ! tessera_server_start "$B/cluster/tessera"; then
  echo "server did not start: every SQL test counts as failed"
  add 0 1
  finish
fi
echo "tessera listening on 127.0.0.1:$SERVER_PORT (data $SERVER_DIR/data)"

# run_sql_suites LABEL SLT_PORT REGRESS_PORT: tests/sql and tests/regress.
run_sql_suites() {
  local label="$1" slt_port="$2" regress_port="$3" total p f n engine=postgresql
  [ "$label" = cluster ] && engine=tessera-cluster
  echo "== sqllogictest tests/sql ($label)"
  local slt="$B/tests/runners/sqllogictest"
  if [ -x "$slt" ]; then
    "$slt" -h 127.0.0.1 -p "$slt_port" -U tessera -d tessera --engine "$engine" --timeout 10 --summary tests/sql | tee "$B/sqllogictest-$label.log"
    total=$(grep '^sqllogictest total:' "$B/sqllogictest-$label.log")
    p=$(sed -E 's/^sqllogictest total: ([0-9]+)\/.*/\1/' <<< "$total")
    f=$(sed -E 's/.*\), ([0-9]+) failed.*/\1/' <<< "$total")
    if [ -n "$total" ]; then add "$p" "$f"; else add 0 1; fi
  else
    echo "sqllogictest runner was not built"
    add 0 1
  fi

  echo "== regress tests/regress ($label)"
  local regress_out
  regress_out="$(mktemp -d /tmp/tessera-regress.XXXXXX)"
  bash tests/regress/run.sh -h 127.0.0.1 -p "$regress_port" -U tessera -d tessera \
    --outputdir "$regress_out" --timeout 120 | tee "$B/regress-$label.log"
  total=$(grep '^regress total:' "$B/regress-$label.log")
  if [ -n "$total" ]; then
    p=$(sed -E 's/^regress total: ([0-9]+)\/.*/\1/' <<< "$total")
    n=$(sed -E 's/^regress total: [0-9]+\/([0-9]+).*/\1/' <<< "$total")
    add "$p" $((n - p))
    [ "$p" -eq "$n" ] || head -c 20000 "$regress_out/regression.diffs" 2> /dev/null
  else
    add 0 1
  fi
  rm -rf "$regress_out"
}

run_sql_suites embedded "$SERVER_PORT" "$SERVER_PORT"

# --- the same SQL suites against a loopback cluster ---------------------------
# etcd, 3 shard groups of 2 replicas each and 2 gateways (scripts/cluster.sh's
# default shape); sqllogictest goes through one gateway and the regress
# scripts through the other, so DDL and data cross gateways. Then every
# group's backup must hold exactly what its primary holds.
echo "== loopback cluster"
CLUSTER_DIR="$(mktemp -d /tmp/tessera-cluster.XXXXXX)"
cluster_stop() { TESSERA_BIN="$B/cluster/tessera" bash scripts/cluster.sh stop "$CLUSTER_DIR" > /dev/null 2>&1; }
trap 'tessera_server_stop; cluster_stop' EXIT
if TESSERA_BIN="$B/cluster/tessera" NO_SYNC=1 bash scripts/cluster.sh start "$CLUSTER_DIR"; then
  source "$CLUSTER_DIR/cluster.env"
  run_sql_suites cluster "$GATEWAY_PORT_0" "$GATEWAY_PORT_1"
  echo "== replicas agree tests/cluster/replicas_agree.py"
  if TESSERA_BIN="$B/cluster/tessera" timeout 200 /usr/bin/python3 tests/cluster/replicas_agree.py "$CLUSTER_DIR"; then
    add 1 0
  else
    add 0 1
  fi
else
  echo "the loopback cluster did not start: its SQL suites count as failed"
  add 0 1
fi
cluster_stop

# --- driver smoke tests (tests/drivers) ----------------------------------------
# psycopg2, node-postgres and pgjdbc against a server run.sh starts itself;
# each PASS/FAIL check line counts once.
echo "== drivers tests/drivers"
TESSERA_BIN="$B/cluster/tessera" bash tests/drivers/run.sh | tee "$B/drivers.log"
total=$(grep '^drivers total:' "$B/drivers.log")
if [ -n "$total" ]; then
  p=$(sed -E 's/^drivers total: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<< "$total")
  f=$(sed -E 's/^drivers total: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<< "$total")
  add "$p" "$f"
else
  add 0 1
fi

# --- isolation, pgbench and cluster tests -------------------------------------
# Each starts its own server; each PASS/FAIL check line counts once, read from
# the script's last line "<suite> total: P passed, F failed" (missing = 1 failure).
# TESSERA_QUICK=1 skips the slow pgbench ones locally (about 70 s); CI runs them.
run_suite() {  # run_suite SUITE LOG COMMAND...
  local suite="$1" log="$2" total; shift 2
  TESSERA_BIN="$B/cluster/tessera" "$@" | tee "$log"
  total=$(grep "^$suite total:" "$log")
  if [ -n "$total" ]; then
    add "$(sed -E 's/.* total: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<< "$total")" \
      "$(sed -E 's/.* total: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<< "$total")"
  else
    add 0 1
  fi
}
echo "== concurrency tests/concurrency"
run_suite concurrency "$B/concurrency.log" bash tests/concurrency/run.sh
echo "== views across a crash tests/catalog/views_restart.sh"
run_suite views-restart "$B/views-restart.log" bash tests/catalog/views_restart.sh
echo "== temporary tables across sessions and a crash tests/catalog/temp_tables.py"
run_suite temp-tables "$B/temp-tables.log" /usr/bin/python3 tests/catalog/temp_tables.py
echo "== overload tests/overload"
run_suite overload "$B/overload.log" bash tests/overload/run.sh
echo "== fuzz tests/fuzz"
run_suite fuzz "$B/fuzz.log" bash tests/fuzz/run.sh
echo "== psql meta-commands against PostgreSQL 15 tests/psql"
run_suite psql "$B/psql.log" bash tests/psql/run.sh
run_suite psql "$B/psql-cluster.log" bash tests/psql/run.sh --cluster
echo "== pg_dump and pg_restore against PostgreSQL 15 tests/pg_dump"
run_suite pg_dump "$B/pg_dump.log" bash tests/pg_dump/run.sh
if [ "${TESSERA_QUICK:-0}" = 1 ]; then
  echo "== pgbench tests/pgbench skipped (TESSERA_QUICK=1)"
else
  echo "== pgbench tests/pgbench/invariant.sh"
  run_suite pgbench "$B/pgbench.log" bash tests/pgbench/invariant.sh
  echo "== pgbench tests/pgbench/crash.sh"
  run_suite pgbench-crash "$B/pgbench-crash.log" bash tests/pgbench/crash.sh
fi

echo "== SQLAlchemy, Django and pgcli against PostgreSQL 15 tests/orm"
run_suite orm "$B/orm.log" bash tests/orm/run.sh

echo "== protocol checks against PostgreSQL 15 tests/wire"
run_suite wire "$B/wire.log" bash tests/wire/run.sh

echo "== authentication tests/auth (Tessera and PostgreSQL 15)"
run_suite auth "$B/auth.log" bash tests/auth/run.sh

echo "== limits tests/limits"
run_suite limits "$B/limits.log" bash tests/limits/run.sh

echo "== cluster tests/cluster"
run_suite cluster "$B/cluster.log" bash tests/cluster/run.sh

if ! kill -0 "$SERVER_PID" 2> /dev/null; then
  echo "the server died during the tests; its log:"
  tail -n 30 "$SERVER_DIR/server.log"
  add 0 1
fi
finish
