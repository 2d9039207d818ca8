#!/usr/bin/env bash
# Pass-rate report over the third-party corpus (../shared/corpus beside the repo):
#   - sqllogictest/*.test through our runner (records passed, per file and total);
#   - pg_regress/ through tests/regress/run.sh in its schedule's order (tests that
#     match byte for byte, and statements whose output matches, EXPLAIN apart).
# The report never fails on test failures: it measures, it does not gate.
#
#   corpus_report.sh [-h HOST] [-p PORT] [-U USER] [-d DB] [--create-db] [--slt-only|--regress-only]
#
# Without -p, it starts a Tessera server from ./build (or $BUILD_DIR) itself.
# --create-db recreates DB with pg_regress's settings (PostgreSQL only). The
# server must be able to read the corpus's data/ folder (test_setup loads it
# with server-side COPY).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CORPUS="${CORPUS:-$(dirname "$ROOT")/shared/corpus}"
BUILD_DIR="$(cd "${BUILD_DIR:-build}" 2> /dev/null && pwd || echo "$ROOT/build")"
SLT="${SLT:-$BUILD_DIR/tests/runners/sqllogictest}"
host=127.0.0.1 port="" user=tessera db=tessera create_db="" run_slt=1 run_regress=1
while [ $# -gt 0 ]; do
  case "$1" in
    -h) host="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    -U) user="$2"; shift 2 ;;
    -d) db="$2"; shift 2 ;;
    --create-db) create_db=--create-db; shift ;;
    --slt-only) run_regress=0; shift ;;
    --regress-only) run_slt=0; shift ;;
    *) echo "corpus_report.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS" >&2; exit 1; }

source scripts/server.sh
trap tessera_server_stop EXIT
if [ -z "$port" ]; then
  tessera_server_start "$BUILD_DIR/cluster/tessera" || exit 1
  port="$SERVER_PORT"
fi

if [ "$run_slt" -eq 1 ]; then
  echo "== sqllogictest corpus ($CORPUS/sqllogictest)"
  if [ ! -x "$SLT" ]; then
    # Only the runner is needed: build just that target.
    cmake -S . -B build -G Ninja > /dev/null && ninja -C build sqllogictest > /dev/null || exit 1
    SLT="$ROOT/build/tests/runners/sqllogictest"
  fi
  "$SLT" -h "$host" -p "$port" -U "$user" -d "$db" --summary --report --quiet --timeout 10 \
    "$CORPUS/sqllogictest"
fi

if [ "$run_regress" -eq 1 ]; then
  echo "== pg_regress corpus ($CORPUS/pg_regress)"
  out="$(mktemp -d /tmp/corpus-regress.XXXXXX)"
  if [ -n "$create_db" ]; then regress_db=regression; else regress_db="$db"; fi
  bash tests/regress/run.sh -h "$host" -p "$port" -U "$user" -d "$regress_db" $create_db \
    --inputdir "$CORPUS/pg_regress" --schedule "$CORPUS/pg_regress/schedule" \
    --outputdir "$out" --timeout 120 --report
  read -r -a tests <<< "$(sed -n 's/^test: *//p' "$CORPUS/pg_regress/schedule" | tr '\n' ' ')"
  python3 scripts/regress_match.py "$CORPUS/pg_regress" "$out/results" "${tests[@]}"
  echo "(outputs kept in $out)"
fi
