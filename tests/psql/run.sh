#!/usr/bin/env bash
# psql's meta-commands against Tessera and against PostgreSQL 15, compared.
#
# Starts a fresh Tessera (scripts/server.sh) and a fresh PostgreSQL 15
# (initdb + postgres on a free loopback port, stopped at exit), gives both
# the schema in schema.sql, then runs each meta-command below through psql
# on both and compares the outputs byte for byte. Nothing is normalised:
# PostgreSQL's cluster is initialised with superuser "tessera", the name of
# Tessera's one role, so owners print the same; both use the C locale.
#
# Each command prints one line:
#   PASS psql <cmd>: identical        the outputs are the same
#   PASS psql <cmd>: runs ...         listed in KNOWN_DIFFERENT (output differs,
#                                     for the reason given): it must still run
#                                     without error
#   FAIL psql <cmd>: ...              differs (diff shown), or psql failed
#   PASS/FAIL psql <file>.sql         a script in SCRIPTS (psql features that send
#                                     statements of their own, e.g. ON_ERROR_ROLLBACK's
#                                     savepoints), run on both, outputs compared
#   XFAIL psql <cmd>: <reason>        listed in KNOWN_FAILING: Tessera cannot run
#                                     psql's query yet; counted neither as passed
#                                     nor failed, and turned into a FAIL once it
#                                     runs (so the list cannot go stale)
# The last line is "psql total: P passed, F failed".
#
#   run.sh            a fresh `tessera start` from $BUILD_DIR/cluster/tessera
#                     (default ./build; TESSERA_BIN overrides)
#   run.sh --cluster  a fresh loopback cluster (scripts/cluster.sh) instead: the
#                     schema goes through one gateway, the meta-commands through
#                     the other, so the catalog they read crossed gateways
set -uo pipefail
mode=embedded
[ "${1:-}" = --cluster ] && mode=cluster
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
TESSERA_BIN="$BIN"
source "$root/scripts/server.sh"
work="$(mktemp -d /tmp/tessera-psql.XXXXXX)"
pg_dir="$(mktemp -d /tmp/tessera-psql-pg.XXXXXX)"  # its own: initdb runs as postgres when we are root
pg_port=""

source "$root/tests/lib/reference_pg.sh"
pg_stop() { reference_pg_stop "$pg_dir"; }
cluster_dir=""
cluster_stop() {
  [ -n "$cluster_dir" ] && TESSERA_BIN="$TESSERA_BIN" bash "$root/scripts/cluster.sh" stop "$cluster_dir" > /dev/null 2>&1
}
cleanup() { tessera_server_stop; cluster_stop; pg_stop; rm -rf "$work" "$pg_dir"; }
trap cleanup EXIT

passed=0
failed=0
finish() { echo "psql total: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
label() { [ "$mode" = cluster ] && echo "psql-cluster" || echo "psql"; }

# Meta-commands whose output still differs, and why. Each must still run.
declare -A KNOWN_DIFFERENT=(
  ['\l']="Tessera has one database (tessera) and no template databases"
)
# Meta-commands Tessera cannot run yet, and why.
declare -A KNOWN_FAILING=(
)
COMMANDS=('\dt' '\d' '\di' '\ds' '\dv' '\dv big*' '\dn' '\df' '\dt public.*' '\di orders*' '\l' '\du' '\dT'
  '\d customers' '\d+ customers' '\d orders' '\d big_orders' '\ds order*' '\d order_numbers' '\d events_id_seq'
  '\d countdown' '\dp' '\z orders' '\dp cust*')

# --- servers -------------------------------------------------------------------
if [ "$mode" = cluster ]; then
  cluster_dir="$(mktemp -d /tmp/tessera-psql-cluster.XXXXXX)"
  if ! TESSERA_BIN="$TESSERA_BIN" NO_SYNC=1 bash "$root/scripts/cluster.sh" start "$cluster_dir" > "$work/cluster.log" 2>&1; then
    echo "FAIL psql: the loopback cluster did not start"
    tail -n 10 "$work/cluster.log" | sed 's/^/    /'
    failed=$((failed + 1))
    finish
  fi
  source "$cluster_dir/cluster.env"
  ddl_port="$GATEWAY_PORT_0"
  query_port="$GATEWAY_PORT_1"
elif tessera_server_start "$TESSERA_BIN"; then
  ddl_port="$SERVER_PORT"
  query_port="$SERVER_PORT"
else
  echo "FAIL psql: tessera did not start"
  failed=$((failed + 1))
  finish
fi
if ! reference_pg_start "$pg_dir"; then
  echo "FAIL psql: PostgreSQL 15 did not start (package postgresql-15)"
  failed=$((failed + 1))
  finish
fi

run_psql() {  # run_psql PORT ARGS...: psql without ~/.psqlrc, no pager, stderr too
  local port="$1"; shift
  PAGER=cat psql -X -h 127.0.0.1 -p "$port" -U tessera -d tessera -v ON_ERROR_STOP=1 "$@" 2>&1
}

for port in "$ddl_port" "$pg_port"; do
  if ! out=$(run_psql "$port" -q -f "$here/schema.sql"); then
    echo "FAIL psql schema.sql on port $port: $out"
    failed=$((failed + 1))
    finish
  fi
done

# --- the comparison -------------------------------------------------------------
for cmd in "${COMMANDS[@]}"; do
  tessera_out=$(run_psql "$query_port" -c "$cmd")
  tessera_rc=$?
  pg_out=$(run_psql "$pg_port" -c "$cmd")
  differs="${KNOWN_DIFFERENT[$cmd]:-}"
  failing="${KNOWN_FAILING[$cmd]:-}"
  if [ -n "$failing" ]; then
    if [ $tessera_rc -ne 0 ]; then
      echo "XFAIL $(label) $cmd: $failing ($(grep -m1 ERROR <<< "$tessera_out"))"
    else
      echo "FAIL $(label) $cmd: runs now; move it out of KNOWN_FAILING"
      failed=$((failed + 1))
    fi
  elif [ $tessera_rc -ne 0 ]; then
    echo "FAIL $(label) $cmd: psql failed on Tessera: $(head -n 3 <<< "$tessera_out")"
    failed=$((failed + 1))
  elif [ "$tessera_out" = "$pg_out" ]; then
    if [ -n "$differs" ]; then
      echo "FAIL $(label) $cmd: now identical; remove it from KNOWN_DIFFERENT"
      failed=$((failed + 1))
    else
      echo "PASS $(label) $cmd: identical"
      passed=$((passed + 1))
    fi
  elif [ -n "$differs" ]; then
    echo "PASS $(label) $cmd: runs without error (differs: $differs)"
    passed=$((passed + 1))
  else
    echo "FAIL $(label) $cmd: differs from PostgreSQL 15 (< tessera, > postgresql)"
    diff <(echo "$tessera_out") <(echo "$pg_out") | head -n 30 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done

# --- scripts: psql features that drive the server (run with errors allowed) ------
SCRIPTS=('on_error_rollback.sql')
for script in "${SCRIPTS[@]}"; do
  tessera_out=$(run_psql "$query_port" -v ON_ERROR_STOP=0 -f "$here/$script")
  pg_out=$(run_psql "$pg_port" -v ON_ERROR_STOP=0 -f "$here/$script")
  if [ "$tessera_out" = "$pg_out" ]; then
    echo "PASS $(label) $script: identical"
    passed=$((passed + 1))
  else
    echo "FAIL $(label) $script: differs from PostgreSQL 15 (< tessera, > postgresql)"
    diff <(echo "$tessera_out") <(echo "$pg_out") | head -n 30 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
finish
