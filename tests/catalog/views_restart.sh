#!/usr/bin/env bash
# Views survive a restart: a server on a fresh data directory gets a table,
# views over it and over each other (one created and one dropped in a
# committed block, one in a rolled-back block), is killed with SIGKILL and
# started again on the same directory; the views must read the same rows,
# pg_views must list the same definitions, and the dependencies must still
# hold (2BP01 on DROP TABLE). Last line: "views-restart total: P passed, F failed".
#   views_restart.sh   server from $TESSERA_BIN or $BUILD_DIR/cluster/tessera
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/server.sh"
TESSERA_BIN="${TESSERA_BIN:-$root/${BUILD_DIR:-build}/cluster/tessera}"
work="$(mktemp -d /tmp/tessera-views-restart.XXXXXX)"
port="$(free_port)"
pid=""
passed=0
failed=0

start() {
  "$TESSERA_BIN" start --data "$work/data" --port "$port" --listen 127.0.0.1 >> "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    pg_isready -q -h 127.0.0.1 -p "$port" -t 1 && return 0
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.2
  done
  echo "server did not start; its log:" && tail -n 20 "$work/server.log"
  return 1
}
crash() { kill -KILL "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; pid=""; }
cleanup() { [ -n "$pid" ] && crash; rm -rf "$work"; }
trap cleanup EXIT
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U tessera -d tessera "$@" 2>&1; }
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    echo "PASS views-restart $1"
    passed=$((passed + 1))
  else
    echo "FAIL views-restart $1"
    diff <(echo "$2") <(echo "$3") | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

mkdir -p "$work/data"
start || exit 1
sql <<'SQL' > "$work/setup.log" || { cat "$work/setup.log"; exit 1; }
CREATE TABLE r (id integer PRIMARY KEY, a integer, b text);
INSERT INTO r VALUES (1, 10, 'x'), (2, 20, 'y'), (3, 30, 'z');
CREATE VIEW r_big AS SELECT * FROM r WHERE a > 15;
CREATE VIEW r_sum (total) AS SELECT sum(a) FROM r_big;
BEGIN;
CREATE VIEW r_block AS SELECT id FROM r_big ORDER BY id DESC LIMIT 1;
CREATE VIEW r_gone AS SELECT 1 AS one;
DROP VIEW r_gone;
COMMIT;
BEGIN;
CREATE VIEW r_rolled_back AS SELECT 1 AS one;
ROLLBACK;
ALTER TABLE r ADD COLUMN c integer;
SQL
reads="SELECT * FROM r_big ORDER BY id; SELECT * FROM r_sum; SELECT * FROM r_block;
SELECT viewname || ': ' || definition FROM pg_views WHERE schemaname = 'public' ORDER BY viewname;"
before="$(sql -c "$reads")"
crash
start || exit 1
after="$(sql -c "$reads")"
check "reads and pg_views after a crash" "$before" "$after"
check "the rows" "2|20|y
3|30|z
50
3" "$(sql -c "SELECT * FROM r_big ORDER BY id; SELECT * FROM r_sum; SELECT * FROM r_block;")"
check "dependencies" "ERROR:  cannot drop table r because other objects depend on it
DETAIL:  view r_big depends on table r
view r_sum depends on view r_big
view r_block depends on view r_big
HINT:  Use DROP ... CASCADE to drop the dependent objects too." "$(sql -c "DROP TABLE r")"
check "no view of a rolled-back or dropped block" "0" \
  "$(sql -c "SELECT count(*) FROM pg_class WHERE relname IN ('r_gone', 'r_rolled_back')")"
check "DROP TABLE CASCADE after the restart" "" "$(sql -c "DROP TABLE r CASCADE" | grep -v NOTICE)"
echo "views-restart total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
