#!/usr/bin/env bash
# Client authentication tests (test_auth.py, issue 13): `tessera start --hba
# FILE` with SCRAM-SHA-256, cleartext `password`, `reject` and rules no
# client matches, checked with psql, psycopg2 and a protocol client that
# reads SQLSTATEs, and the same checks against PostgreSQL 15 configured
# alike (its own pg_hba.conf, password_encryption = scram-sha-256). Each
# server is started on a free loopback port and stopped by the test.
#
# Binary: $TESSERA_BIN, else $BUILD_DIR/cluster/tessera (default ./build).
# PostgreSQL: $PG_BIN (default /usr/lib/postgresql/15/bin).
# Prints every "PASS/FAIL auth <check>" line and, last, "auth total: P
# passed, F failed"; exits non-zero when a check failed. About 10 seconds.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" == /* ]] || build="$root/$build"
BIN="${TESSERA_BIN:-$build/cluster/tessera}"
[[ "$BIN" == /* ]] || BIN="$(pwd)/$BIN"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  echo "FAIL auth: $PYTHON cannot import psycopg2 (package python3-psycopg2)"
  echo "auth total: 0 passed, 1 failed"
  exit 1
fi
if [ ! -x "$BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "FAIL auth: missing $BIN or $PG_BIN/initdb"
  echo "auth total: 0 passed, 1 failed"
  exit 1
fi
timeout -k 10 300 "$PYTHON" "$here/test_auth.py" "$BIN" "$PG_BIN"
rc=$?
[ $rc -eq 124 ] && { echo "FAIL auth: timed out"; echo "auth total: 0 passed, 1 failed"; }
exit $rc
