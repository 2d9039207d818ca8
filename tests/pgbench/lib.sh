# Sourced by tests/pgbench/*.sh: arguments, server start, checks, totals.
#   -p PORT [-h HOST] [-U USER] [-d DB]  use a running server (e.g. PostgreSQL 15);
#   otherwise a throwaway server starts from $TESSERA_BIN or $BUILD_DIR/cluster/tessera.
# Each check prints "PASS <suite> <check>" or "FAIL <suite> <check>: <reason>";
# pgbench_total prints "<suite> total: P passed, F failed" and exits.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
host=127.0.0.1 port="" user=tessera db=tessera
while [ $# -gt 0 ]; do
  case "$1" in
    -h) host="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    -U) user="$2"; shift 2 ;;
    -d) db="$2"; shift 2 ;;
    *) echo "$0: unknown argument $1" >&2; exit 2 ;;
  esac
done
PGBENCH="${PGBENCH:-pgbench}"
build="${BUILD_DIR:-build}"
[[ "$build" == /* ]] || build="$root/$build"
TESSERA_BIN="${TESSERA_BIN:-$build/cluster/tessera}"
source "$root/scripts/server.sh"
source "$here/judge_run.sh"
work="$(mktemp -d /tmp/tessera-pgbench.XXXXXX)"
passed=0
failed=0

pass() { echo "PASS $suite $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $suite $1: $2"; failed=$((failed + 1)); }
pgbench_total() {
  echo "$suite total: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

psql_q() {  # psql_q SQL: one value, unaligned
  PGCONNECT_TIMEOUT=10 psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d "$db" -c "$1"
}

# pgbench_init NAME SCALE: pgbench -i, which loads with COPY FROM STDIN.
# PGBENCH_INIT_FLAGS adds flags, e.g. "-I dtGvp" (load with INSERT ... SELECT
# FROM generate_series instead of COPY) to debug a server without COPY.
pgbench_init() {
  local log="$work/init.log"
  # shellcheck disable=SC2086
  if timeout 300 "$PGBENCH" -i -s "$2" ${PGBENCH_INIT_FLAGS:-} -q -h "$host" -p "$port" -U "$user" "$db" > "$log" 2>&1; then
    pass "$1"
    return 0
  fi
  fail "$1" "pgbench -i -s $2 failed: $(grep -m1 -iE 'error|fatal' "$log" || tail -n 1 "$log")"
  return 1
}

# pgbench_run NAME ARGS...: runs pgbench; passes when it exits 0, processed
# transactions > 0 and "number of failed transactions: 0".
pgbench_run() {
  local name="$1" log="$work/$1.log"; shift
  timeout 120 "$PGBENCH" -h "$host" -p "$port" -U "$user" "$@" "$db" > "$log" 2>&1
  judge_pgbench_run "$name" $? "$log"
}

# tpcb_invariant NAME: sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta).
tpcb_invariant() {
  local a b t h
  a=$(psql_q "SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts" 2>&1) &&
    b=$(psql_q "SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches" 2>&1) &&
    t=$(psql_q "SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers" 2>&1) &&
    h=$(psql_q "SELECT coalesce(sum(delta), 0) FROM pgbench_history" 2>&1)
  if [ $? -ne 0 ]; then
    fail "$1" "query failed: $a $b $t $h"
  elif [ "$a" = "$b" ] && [ "$b" = "$t" ] && [ "$t" = "$h" ]; then
    pass "$1 (sum $a)"
  else
    fail "$1" "sum(abalance)=$a sum(bbalance)=$b sum(tbalance)=$t sum(delta)=$h"
  fi
}
