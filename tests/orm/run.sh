#!/usr/bin/env bash
# The clients users bring, from Debian's packages (scripts/setup.sh):
# SQLAlchemy 1.4, Django 3.2 and pgcli 3.5, each against a fresh Tessera and a
# fresh PostgreSQL 15 in the same run, answers compared check by check.
#
#   pgcli_checks.py       pgcli's start-up catalog reads (completions), a query,
#                         \dt, \d TABLE, \di, \dv through its own executor;
#                         and the `pgcli` program itself, its input piped
#   sqlalchemy_checks.py  create_all, the inspector, Core and ORM sessions,
#                         bulk inserts, drop_all
#   django_checks.py      `migrate` of contrib.auth and tests/orm/shelf, ORM
#                         queries, `migrate` back to zero
# compare.py prints PASS/FAIL/XFAIL per check (XFAIL: listed in its
# KNOWN_FAILING with the reason, and a FAIL once it passes). The last line is
# "orm total: P passed, F failed".
#
#   run.sh   a fresh `tessera start` from $BUILD_DIR/cluster/tessera (default
#            ./build; TESSERA_BIN overrides)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/server.sh"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
TESSERA_BIN="${TESSERA_BIN:-$root/${BUILD_DIR:-build}/cluster/tessera}"
# Debian's python3-sqlalchemy, python3-django and pgcli install for /usr/bin/python3.
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"
TIMEOUT="${ORM_TIMEOUT:-120}"
work="$(mktemp -d /tmp/tessera-orm.XXXXXX)"
pg_dir="$(mktemp -d /tmp/tessera-orm-pg.XXXXXX)"  # its own: initdb runs as postgres when we are root
# pgcli writes its config, history and log under $HOME: keep them here.
export HOME="$work/home" PAGER=cat
mkdir -p "$HOME"

as_pg_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_stop() {
  [ -f "$pg_dir/data/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop > /dev/null 2>&1
}
cleanup() { tessera_server_stop; pg_stop; rm -rf "$work" "$pg_dir"; }
trap cleanup EXIT

passed=0
failed=0
finish() { echo "orm total: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# --- servers -------------------------------------------------------------------
if ! tessera_server_start "$TESSERA_BIN"; then
  echo "FAIL orm: tessera did not start"
  failed=$((failed + 1))
  finish
fi
[ "$(id -u)" -eq 0 ] && chown postgres: "$pg_dir"
pg_port="$(free_port)"
if ! as_pg_owner "$PG_BIN/initdb" -D "$pg_dir/data" -U tessera --auth=trust -E UTF8 --locale=C > "$pg_dir/initdb.log" 2>&1 ||
  ! as_pg_owner "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c timezone=UTC" start > /dev/null 2>&1; then
  echo "FAIL orm: PostgreSQL 15 did not start (package postgresql-15)"
  tail -n 5 "$pg_dir/initdb.log" "$pg_dir/server.log" 2> /dev/null | sed 's/^/    /'
  failed=$((failed + 1))
  finish
fi
psql -X -q -h 127.0.0.1 -p "$pg_port" -U tessera -d postgres -c 'CREATE DATABASE tessera' > /dev/null

# --- the `pgcli` program: it connects, reads the catalog, runs a query ----------
# It wants a terminal; with its input piped it still runs each line and prints
# the result tables (among its screen-drawing output).
for server in tessera:"$SERVER_PORT" postgresql:"$pg_port"; do
  out=$(printf "SELECT 'pgcli ' || 'answers' AS greeting;\n" |
    timeout "$TIMEOUT" pgcli -h 127.0.0.1 -p "${server#*:}" -U tessera --less-chatty tessera 2>&1)
  if grep -q '| pgcli answers |' <<< "$out"; then
    echo "PASS pgcli program (${server%%:*})"
    passed=$((passed + 1))
  else
    echo "FAIL pgcli program (${server%%:*}): no result in its output"
    tail -n 5 <<< "$out" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done

# --- each client's checks on both servers, compared -----------------------------
run_checks() {  # run_checks CLIENT SCRIPT: SCRIPT HOST PORT for each server
  local client="$1" script="$2" server port
  for server in tessera postgresql; do
    port="$SERVER_PORT"
    [ $server = postgresql ] && port="$pg_port"
    if ! timeout "$TIMEOUT" "$PYTHON" "$here/$script" 127.0.0.1 "$port" > "$work/$client.$server.json" 2> "$work/$client.$server.err"; then
      echo "FAIL $client: $script did not finish against $server"
      tail -n 5 "$work/$client.$server.err" | sed 's/^/    /'
      failed=$((failed + 1))
      return
    fi
  done
  local summary
  "$PYTHON" "$here/compare.py" "$client" "$work/$client.tessera.json" "$work/$client.postgresql.json" > "$work/$client.out"
  grep -v "^$client passed=" "$work/$client.out"
  summary=$(grep "^$client passed=" "$work/$client.out")
  if [ -z "$summary" ]; then
    echo "FAIL $client: compare.py failed"
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(sed -E 's/.*passed=([0-9]+).*/\1/' <<< "$summary")))
  failed=$((failed + $(sed -E 's/.*failed=([0-9]+).*/\1/' <<< "$summary")))
}
run_checks pgcli pgcli_checks.py
run_checks sqlalchemy sqlalchemy_checks.py
run_checks django django_checks.py
finish
