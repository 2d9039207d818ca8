#!/usr/bin/env bash
# Protocol checks that pipelining drivers depend on (test_wire.py), on
# Tessera and on PostgreSQL 15 in the same run: COPY TO STDOUT (one CopyData
# per row, COPY (query) TO), Bind with up to 65,535 parameters, a Bind with
# the wrong parameter count (ERROR, not FATAL), Flush after an error, bad
# UTF-8, savepoints through the extended protocol, and psycopg 3 (Copy.rows(),
# a pipelined error fetched before Sync; an int8-typed parameter against an
# int4 primary key uses the key), and server-side cursors as psycopg2 and
# psycopg 3 use them (cursor_checks.py). Each Tessera server's messages are
# compared with PostgreSQL's.
#
# Starts a fresh `tessera start` (scripts/server.sh), a loopback cluster
# (scripts/cluster.sh, 3 groups, 1 gateway) and a fresh PostgreSQL 15
# (initdb with superuser "tessera", trust, on a free loopback port), all
# stopped at exit.
#
#   run.sh [CHECK...]     only these checks (names as printed)
#   WIRE_CLUSTER=0        skip the cluster
#   TESSERA_BIN=PATH      the binary (default $BUILD_DIR/cluster/tessera)
#
# Prints "PASS/FAIL wire <check> <server>" lines and, last, "wire total: P
# passed, F failed"; exits non-zero when a check failed.
set -uo pipefail
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
source "$root/scripts/server.sh"
work="$(mktemp -d /tmp/tessera-wire.XXXXXX)"
pg_dir="$(mktemp -d /tmp/tessera-wire-pg.XXXXXX)"  # its own: initdb runs as postgres when we are root
cluster_dir=""

source "$root/tests/lib/reference_pg.sh"
cleanup() {
  tessera_server_stop
  [ -n "$cluster_dir" ] && TESSERA_BIN="$BIN" bash "$root/scripts/cluster.sh" stop "$cluster_dir" > /dev/null 2>&1
  reference_pg_stop "$pg_dir"
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT
failed=0
total() { echo "wire total: $1 passed, $2 failed"; [ "$2" -eq 0 ]; exit $?; }

for module in psycopg2 psycopg; do
  if ! "$PYTHON" -c "import $module" 2> /dev/null; then
    echo "FAIL wire: $PYTHON cannot import $module (scripts/setup.sh installs python3-$module)"
    total 0 1
  fi
done

# --- servers -------------------------------------------------------------------
servers=()
if tessera_server_start "$BIN"; then
  servers+=("embedded=$SERVER_PORT")
else
  echo "FAIL wire: tessera did not start"
  failed=$((failed + 1))
fi
if [ "${WIRE_CLUSTER:-1}" != 0 ]; then
  cluster_dir="$(mktemp -d /tmp/tessera-wire-cluster.XXXXXX)"
  if TESSERA_BIN="$BIN" CLUSTER_GATEWAYS=1 NO_SYNC=1 bash "$root/scripts/cluster.sh" start "$cluster_dir" \
    > "$work/cluster.log" 2>&1; then
    # shellcheck disable=SC1091
    source "$cluster_dir/cluster.env"
    servers+=("cluster=$GATEWAY_PORT_0")
  else
    echo "FAIL wire: the loopback cluster did not start"
    tail -n 10 "$work/cluster.log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
fi
if ! reference_pg_start "$pg_dir"; then
  echo "FAIL wire: PostgreSQL 15 did not start (package postgresql-15)"
  total 0 $((failed + 1))
fi

# --- checks --------------------------------------------------------------------
timeout -k 10 600 "$PYTHON" "$here/test_wire.py" --pg "$pg_port" "${servers[@]}" "$@" > "$work/wire.log" 2>&1
count_checks wire "$work/wire.log" $?
if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2> /dev/null; then
  echo "FAIL wire: the embedded server died; its log:"
  tail -n 20 "$SERVER_DIR/server.log"
  f=$((f + 1))
fi
if [ -n "$cluster_dir" ]; then
  for pidfile in "$cluster_dir"/gateway*.pid "$cluster_dir"/node*.pid; do
    [ -f "$pidfile" ] || continue
    if ! kill -0 "$(cat "$pidfile")" 2> /dev/null; then
      echo "FAIL wire: cluster process $(basename "$pidfile" .pid) died; its log:"
      tail -n 20 "${pidfile%.pid}.log"
      f=$((f + 1))
    fi
  done
fi
total "$p" $((f + failed))
