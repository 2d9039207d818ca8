#!/usr/bin/env bash
# Isolation tests (test_isolation.py): two or more psycopg2 sessions against
# one server pin no dirty reads, no lost updates under READ COMMITTED, 40001
# under REPEATABLE READ, stable snapshots, non-blocking readers, 40P01,
# 25P02, 55P03, the rollback of a dropped connection, SELECT ... FOR UPDATE
# (waits, NOWAIT, SKIP LOCKED, the re-read after a wait), that a view
# never outlives its table under concurrent DDL, and that a foreign key
# leaves no orphan when a parent is deleted while a child is inserted
# (fk_tests.py, with COPY's checks). Every check prints
# "PASS concurrency <name>" or "FAIL concurrency <name>: <reason>".
#
#   run.sh                 start a throwaway server from $BUILD_DIR/cluster/tessera
#                          (default ./build; TESSERA_BIN=PATH overrides)
#   run.sh -p PORT [-h H] [-U USER] [-d DB]   use a running server (e.g. PostgreSQL 15)
#   run.sh ... TEST...     only these tests (names as printed)
#
# The last line is "concurrency total: P passed, F failed"; the exit code is
# non-zero when any check failed or the script could not run (one failure).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
host=127.0.0.1 port="" user=tessera db=tessera
tests=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h) host="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    -U) user="$2"; shift 2 ;;
    -d) db="$2"; shift 2 ;;
    -*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    *) tests+=("$1"); shift ;;
  esac
done
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"
TIMEOUT="${CONCURRENCY_TIMEOUT:-300}"
source "$root/scripts/server.sh"
log="$(mktemp /tmp/tessera-concurrency.XXXXXX)"
cleanup() { tessera_server_stop; rm -f "$log"; }
trap cleanup EXIT

total() { echo "concurrency total: $1 passed, $2 failed"; [ "$2" -eq 0 ]; exit $?; }

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  echo "FAIL concurrency: $PYTHON cannot import psycopg2 (package python3-psycopg2)"
  total 0 1
fi
if [ -z "$port" ]; then
  build="${BUILD_DIR:-build}"
  [[ "$build" == /* ]] || build="$root/$build"
  if ! tessera_server_start "${TESSERA_BIN:-$build/cluster/tessera}"; then
    echo "FAIL concurrency: the server did not start"
    total 0 1
  fi
  port="$SERVER_PORT"
fi

timeout "$TIMEOUT" "$PYTHON" "$here/test_isolation.py" "$host" "$port" "$user" "$db" "${tests[@]}" > "$log" 2>&1
rc=$?
grep -E '^(PASS|FAIL) ' "$log"
p=$(grep -c '^PASS ' "$log")
f=$(grep -c '^FAIL ' "$log")
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
  [ $rc -eq 124 ] && echo "FAIL concurrency: timed out after ${TIMEOUT}s" || echo "FAIL concurrency: exited with $rc"
  grep -vE '^(PASS|FAIL) ' "$log" | tail -n 10 | sed 's/^/    /'
  f=$((f + 1))
fi
if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2> /dev/null; then
  echo "FAIL concurrency: the server died during the tests; its log:"
  tail -n 20 "$SERVER_DIR/server.log"
  f=$((f + 1))
fi
total "$p" "$f"
