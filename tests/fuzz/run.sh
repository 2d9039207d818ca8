#!/usr/bin/env bash
# The fuzz test (fuzz.py) against a throwaway `tessera start`: random and
# mutated SQL, random protocol messages, for FUZZ_SECONDS (default 40 in CI;
# scripts/fuzz.sh runs it longer). The server must stay alive and answering.
#
#   run.sh [SEED]    FUZZ_SECONDS=N    TESSERA_BIN=PATH
#
# Last line: "fuzz total: P passed, F failed".
set -uo pipefail
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
source "$root/scripts/server.sh"
log="$(mktemp /tmp/tessera-fuzz.XXXXXX)"
trap 'tessera_server_stop; rm -f "$log"' EXIT
total() { echo "fuzz total: $1 passed, $2 failed"; [ "$2" -eq 0 ]; exit $?; }
seconds="${FUZZ_SECONDS:-40}"
if ! tessera_server_start "$BIN"; then
  echo "FAIL fuzz: the server did not start"
  total 0 1
fi
timeout $((${seconds%.*} * 2 + 120)) "$PYTHON" "$here/fuzz.py" 127.0.0.1 "$SERVER_PORT" "$seconds" "$@" > "$log" 2>&1
count_checks fuzz "$log" $?
if ! kill -0 "$SERVER_PID" 2> /dev/null; then
  echo "FAIL fuzz: the server died; its log:"
  tail -n 30 "$SERVER_DIR/server.log"
  f=$((f + 1))
fi
total "$p" "$f"
