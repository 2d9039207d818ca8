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
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
TESSERA_BIN="$BIN"
source "$root/scripts/server.sh"
TIMEOUT="${ORM_TIMEOUT:-120}"
work="$(mktemp -d /tmp/tessera-orm.XXXXXX)"
pg_dir="$(mktemp -d /tmp/tessera-orm-pg.XXXXXX)"  # its own: initdb runs as postgres when we are root
# pgcli writes its config, history and log under $HOME: keep them here.
export HOME="$work/home" PAGER=cat
mkdir -p "$HOME"

source "$root/tests/lib/reference_pg.sh"
cleanup() { tessera_server_stop; reference_pg_stop "$pg_dir"; rm -rf "$work" "$pg_dir"; }
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
if ! reference_pg_start "$pg_dir" -c timezone=UTC; then
  echo "FAIL orm: PostgreSQL 15 did not start (package postgresql-15)"
  failed=$((failed + 1))
  finish
fi

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
