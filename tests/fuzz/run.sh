#!/usr/bin/env bash
# The fuzz test (fuzz.py) against a throwaway `tessera start`: random and
# mutated SQL, random protocol messages, for FUZZ_SECONDS (default 40 in CI;
# scripts/fuzz.sh runs it longer). The server must stay alive and answering.
#
#   run.sh [SEED]    FUZZ_SECONDS=N    TESSERA_BIN=PATH
#
# Last line: "fuzz total: P passed, F failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"
build="${BUILD_DIR:-build}"
[[ "$build" == /* ]] || build="$root/$build"
source "$root/scripts/server.sh"
log="$(mktemp /tmp/tessera-fuzz.XXXXXX)"
trap 'tessera_server_stop; rm -f "$log"' EXIT
total() { echo "fuzz total: $1 passed, $2 failed"; [ "$2" -eq 0 ]; exit $?; }
seconds="${FUZZ_SECONDS:-40}"
if ! tessera_server_start "${TESSERA_BIN:-$build/cluster/tessera}"; then
  echo "FAIL fuzz: the server did not start"
  total 0 1
fi
timeout $((${seconds%.*} * 2 + 120)) "$PYTHON" "$here/fuzz.py" 127.0.0.1 "$SERVER_PORT" "$seconds" "$@" > "$log" 2>&1
rc=$?
grep -E '^(fuzz:|PASS|FAIL) ' "$log"
p=$(grep -c '^PASS ' "$log")
f=$(grep -c '^FAIL ' "$log")
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
  echo "FAIL fuzz: exited with $rc"
  tail -n 10 "$log" | sed 's/^/    /'
  f=$((f + 1))
fi
if ! kill -0 "$SERVER_PID" 2> /dev/null; then
  echo "FAIL fuzz: the server died; its log:"
  tail -n 30 "$SERVER_DIR/server.log"
  f=$((f + 1))
fi
total "$p" "$f"
