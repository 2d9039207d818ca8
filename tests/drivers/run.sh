#!/usr/bin/env bash
# Driver smoke tests: psycopg2, node-postgres and pgjdbc each connect to a
# Tessera server, create a table, insert with parameters, read typed values
# back (int, text, numeric, bool, timestamp, NULL), roll a transaction back
# and check the SQLSTATE of a duplicate key; against the throwaway server
# (which gets a certificate) each also connects with TLS, verify-full.
# Every check prints
# "PASS <driver> <check>" or "FAIL <driver> <check>: <reason>".
#
#   run.sh                 start a throwaway server from $BUILD_DIR/cluster/tessera
#                          (default ./build; TESSERA_BIN=PATH overrides)
#   run.sh -p PORT [-h H]  use a running server instead
#   run.sh DRIVER...       only these of: psycopg2 node jdbc
#                          (raw protocol checks and psycopg 3: tests/wire)
#
# The last line is "drivers total: P passed, F failed"; the exit code is
# non-zero when any check failed, or a driver could not run at all (missing
# package, npm install failure, timeout), which counts as one failure.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
host=127.0.0.1 port="" user=tessera db=tessera tls_ca=""
drivers=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h) host="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    -U) user="$2"; shift 2 ;;
    -d) db="$2"; shift 2 ;;
    psycopg2 | node | jdbc) drivers+=("$1"); shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#drivers[@]} -gt 0 ] || drivers=(psycopg2 node jdbc)
TIMEOUT="${DRIVER_TIMEOUT:-120}"
JDBC_JAR="${JDBC_JAR:-/usr/share/java/postgresql.jar}"
# python3-psycopg2 installs for Debian's python, which a pyenv or venv python3
# on PATH would not see.
PYTHON="${PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"

passed=0
failed=0
work="$(mktemp -d /tmp/tessera-drivers.XXXXXX)"
source "$root/scripts/server.sh"
cleanup() { tessera_server_stop; rm -rf "$work"; }
trap cleanup EXIT

# Runs one driver's program, echoing its output and counting PASS/FAIL lines.
# A program that fails without printing a FAIL line (crash, timeout) is one
# more failure.
run_driver() {  # run_driver NAME COMMAND...
  local name="$1" log="$work/$1.log" rc p f; shift
  timeout "$TIMEOUT" "$@" > "$log" 2>&1
  rc=$?
  grep -E '^(PASS|FAIL) ' "$log"
  p=$(grep -c '^PASS ' "$log")
  f=$(grep -c '^FAIL ' "$log")
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    [ $rc -eq 124 ] && echo "FAIL $name: timed out after ${TIMEOUT}s" || echo "FAIL $name: exited with $rc"
    grep -vE '^(PASS|FAIL) ' "$log" | tail -n 10 | sed 's/^/    /'
    f=$((f + 1))
  elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $name: no checks ran"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

unavailable() {  # unavailable NAME REASON
  echo "FAIL $1: $2"
  failed=$((failed + 1))
}

if [ -z "$port" ]; then
  build="${BUILD_DIR:-build}"
  [[ "$build" == /* ]] || build="$root/$build"
  # The throwaway server also speaks TLS: each driver connects once more
  # with verify-full against this CA (certificate for 127.0.0.1).
  (cd "$work" &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=drivers test CA" &&
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > server.ext &&
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
      -extfile server.ext) > /dev/null 2>&1
  if ! tessera_server_start "${TESSERA_BIN:-$build/cluster/tessera}" \
      --tls-cert "$work/server.crt" --tls-key "$work/server.key"; then
    echo "FAIL drivers: the server did not start"
    echo "drivers total: 0 passed, 1 failed"
    exit 1
  fi
  port="$SERVER_PORT"
  tls_ca="$work/ca.crt"
fi
args=("$host" "$port" "$user" "$db" ${tls_ca:+"$tls_ca"})

for d in "${drivers[@]}"; do
  case "$d" in
    psycopg2)
      if "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
        run_driver psycopg2 "$PYTHON" "$here/test_psycopg2.py" "${args[@]}"
      else
        unavailable psycopg2 "$PYTHON cannot import psycopg2 (package python3-psycopg2)"
      fi
      ;;
    node)
      if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
        unavailable node-pg "node or npm is missing (packages nodejs, npm)"
      # npm ci installs exactly package-lock.json; skipped when it already did.
      elif ! { [ "$here/node/node_modules/.package-lock.json" -nt "$here/node/package-lock.json" ] ||
        (cd "$here/node" && timeout 300 npm ci --no-audit --no-fund --loglevel=error > "$work/npm.log" 2>&1); }; then
        unavailable node-pg "npm ci failed: $(grep -m1 -i 'err' "$work/npm.log")"
      else
        run_driver node-pg node "$here/node/test_pg.js" "${args[@]}"
      fi
      ;;
    jdbc)
      if [ ! -f "$JDBC_JAR" ]; then
        unavailable pgjdbc "$JDBC_JAR is missing (package libpostgresql-jdbc-java)"
      elif ! command -v javac > /dev/null; then
        unavailable pgjdbc "javac is missing (package default-jdk-headless)"
      elif ! javac -d "$work/classes" -cp "$JDBC_JAR" "$here/java/TestJdbc.java" > "$work/javac.log" 2>&1; then
        unavailable pgjdbc "javac failed: $(head -n 1 "$work/javac.log")"
      else
        run_driver pgjdbc java -cp "$JDBC_JAR:$work/classes" TestJdbc "${args[@]}"
      fi
      ;;
  esac
done

if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2> /dev/null; then
  echo "FAIL drivers: the server died during the tests; its log:"
  tail -n 20 "$SERVER_DIR/server.log"
  failed=$((failed + 1))
fi
echo "drivers total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
