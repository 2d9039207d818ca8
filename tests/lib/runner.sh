# Sourced by the suites' run.sh scripts (tests/<suite>/run.sh):
#   source "$(dirname "$0")/../lib/runner.sh"
# Sets where things are, from the caller's location and the environment:
#   here    the calling script's folder        root    the repository
#   build   $BUILD_DIR (default ./build), absolute
#   BIN     $TESSERA_BIN, else $build/cluster/tessera, absolute
#   PG_BIN  $PG_BIN (default /usr/lib/postgresql/15/bin)
#   PYTHON  $PYTHON, else /usr/bin/python3 when it exists (Debian's psycopg2 is there)
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" == /* ]] || build="$root/$build"
BIN="${TESSERA_BIN:-$build/cluster/tessera}"
[[ "$BIN" == /* ]] || BIN="$(pwd)/$BIN"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"

# count_checks SUITE LOG RC: shows LOG's "PASS ...", "FAIL ..." and "SUITE: ..."
# lines and sets p and f from them. A check script that exited with RC != 0
# without a FAIL line counts as one failure, shown with its last other lines.
count_checks() {
  local suite="$1" log="$2" rc="$3"
  grep -E "^(PASS|FAIL|$suite:) " "$log"
  p=$(grep -c '^PASS ' "$log")
  f=$(grep -c '^FAIL ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $suite: exited with $rc"
    grep -vE '^(PASS|FAIL) ' "$log" | tail -n 10 | sed 's/^/    /'
    f=$((f + 1))
  fi
}
