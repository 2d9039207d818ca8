#!/usr/bin/env bash
# Overload tests (test_overload.py, issue 9) against `tessera start`: long
# operator chains, 200 sessions waiting on one row, pgbench -c 90 on one
# branch row, idle timeouts, and, on a second server started with
# --max-connections 10 --authentication-timeout 1, the connection limits.
# Every check prints "PASS overload <name>" or "FAIL overload <name>: <reason>".
#
#   run.sh [TEST...]      only these tests (names as printed)
#   TESSERA_BIN=PATH      the binary (default $BUILD_DIR/cluster/tessera)
#
# The last line is "overload total: P passed, F failed". Takes about a minute.
set -uo pipefail
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
source "$root/scripts/server.sh"
log="$(mktemp /tmp/tessera-overload.XXXXXX)"
limits_pid="" limits_dir=""
cleanup() {
  tessera_server_stop
  [ -n "$limits_pid" ] && kill "$limits_pid" 2> /dev/null && wait "$limits_pid" 2> /dev/null
  [ -n "$limits_dir" ] && rm -rf "$limits_dir"
  rm -f "$log"
}
trap cleanup EXIT
total() { echo "overload total: $1 passed, $2 failed"; [ "$2" -eq 0 ]; exit $?; }

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  echo "FAIL overload: $PYTHON cannot import psycopg2 (package python3-psycopg2)"
  total 0 1
fi
if ! tessera_server_start "$BIN" --max-connections 300; then
  echo "FAIL overload: the server did not start"
  total 0 1
fi
limits_dir="$(mktemp -d /tmp/tessera-overload-limits.XXXXXX)"
limits_port="$(free_port)"
"$BIN" start --data "$limits_dir/data" --port "$limits_port" --listen 127.0.0.1 --max-connections 10 \
  --authentication-timeout 1 > "$limits_dir/server.log" 2>&1 &
limits_pid=$!
for _ in $(seq 1 100); do pg_isready -q -h 127.0.0.1 -p "$limits_port" -t 1 && break; sleep 0.2; done

timeout 600 "$PYTHON" "$here/test_overload.py" 127.0.0.1 "$SERVER_PORT" tessera tessera \
  --limits-port "$limits_port" "$@" > "$log" 2>&1
count_checks overload "$log" $?
for pid in "$SERVER_PID" "$limits_pid"; do
  if ! kill -0 "$pid" 2> /dev/null; then
    echo "FAIL overload: a server died during the tests; its log:"
    tail -n 20 "$SERVER_DIR/server.log" "$limits_dir/server.log"
    f=$((f + 1))
  fi
done
total "$p" "$f"
