#!/usr/bin/env bash
# pg_dump and pg_restore (Debian's, PostgreSQL 15) against Tessera (issue 11).
#
# A fresh Tessera and a fresh PostgreSQL 15 get the same schema.sql (every
# column type Tessera stores, defaults, NOT NULL, keys, unique constraints,
# indexes, CHECK and FOREIGN KEY constraints, serial columns and a sequence
# with values taken, views, comments and rows). Then:
#   - Tessera's plain dump (pg_dump) is restored with psql -f into a second
#     fresh Tessera, which must have the same tables, views and sequences
#     (psql \d), the same rows (SELECT * ORDER BY every column) and the same
#     sequence positions as the original;
#   - PostgreSQL's custom-format dump (pg_dump -Fc) is restored with
#     pg_restore into a third, which must hold the same rows and positions;
#   - Tessera's own custom-format dump is restored with pg_restore into a
#     fourth, which must match the original as the plain restore does;
#   - Tessera's plain dump is restored into a fresh PostgreSQL 15 database,
#     which must match the PostgreSQL database that ran schema.sql itself;
#   - Tessera's plain dump must equal PostgreSQL's plain dump of the same
#     schema, but for the lines filtered out below (each says why);
#   - a dump holds its tables: DROP TABLE in another session fails with
#     55P03 while pg_dump's LOCK TABLE ... IN ACCESS SHARE MODE is held.
#
# Each check prints one line, PASS or FAIL (with a diff); the last line is
# "pg_dump total: P passed, F failed".
#   run.sh    servers from $BUILD_DIR/cluster/tessera (default ./build;
#             TESSERA_BIN overrides)
set -uo pipefail
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON
TESSERA_BIN="$BIN"
source "$root/scripts/server.sh"
work="$(mktemp -d /tmp/tessera-pgdump.XXXXXX)"
pg_dir="$(mktemp -d /tmp/tessera-pgdump-pg.XXXXXX)"  # its own: initdb runs as postgres when we are root

# --- servers: four Tessera (source, plain restore, custom restores), one PG ----
declare -A T_PORT T_PID T_DIR
source "$root/tests/lib/reference_pg.sh"
pg_stop() { reference_pg_stop "$pg_dir"; }
stop_all() {
  for name in "${!T_PID[@]}"; do
    SERVER_PID="${T_PID[$name]}" SERVER_DIR="${T_DIR[$name]}"
    tessera_server_stop
  done
  pg_stop
  rm -rf "$work" "$pg_dir"
}
trap stop_all EXIT

passed=0
failed=0
finish() { echo "pg_dump total: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
pass() { echo "PASS pg_dump $1"; passed=$((passed + 1)); }
fail() { echo "FAIL pg_dump $1"; failed=$((failed + 1)); }

start_tessera() {  # start_tessera NAME
  if ! tessera_server_start "$TESSERA_BIN"; then
    fail "tessera ($1) did not start"
    finish
  fi
  T_PORT[$1]="$SERVER_PORT" T_PID[$1]="$SERVER_PID" T_DIR[$1]="$SERVER_DIR"
  SERVER_PID="" SERVER_DIR=""
}
start_tessera source
start_tessera plain
start_tessera custom
start_tessera own_custom

if ! reference_pg_start "$pg_dir"; then
  fail "PostgreSQL 15 did not start (package postgresql-15)"
  finish
fi
psql -X -q -h 127.0.0.1 -p "$pg_port" -U tessera -d postgres -c "CREATE DATABASE from_plain" > /dev/null

run_psql() {  # run_psql PORT DB ARGS...: psql without ~/.psqlrc, no pager, stderr too
  local port="$1" db="$2"; shift 2
  PAGER=cat psql -X -h 127.0.0.1 -p "$port" -U tessera -d "$db" -v ON_ERROR_STOP=1 "$@" 2>&1
}

for port in "${T_PORT[source]}" "$pg_port"; do
  if ! out=$(run_psql "$port" tessera -q -f "$here/schema.sql"); then
    fail "schema.sql on port $port: $out"
    finish
  fi
done

# --- dumps ---------------------------------------------------------------------
dump() {  # dump LABEL PORT FILE ARGS...: pg_dump of database tessera
  local label="$1" port="$2" file="$3"; shift 3
  if pg_dump -h 127.0.0.1 -p "$port" -U tessera "$@" -f "$file" tessera > "$work/$label.err" 2>&1; then
    pass "$label: pg_dump ran"
  else
    fail "$label: pg_dump failed: $(head -n 5 "$work/$label.err")"
    finish
  fi
}
dump "tessera plain" "${T_PORT[source]}" "$work/tessera.sql"
dump "postgresql plain" "$pg_port" "$work/postgresql.sql"
dump "postgresql custom" "$pg_port" "$work/postgresql.dump" -Fc
# Tessera's custom-format dump: -Fc also dumps the database's own entry,
# whose query reads SELECT unnest(setconfig) FROM pg_db_role_setting (a
# set-returning function in a select list).
dump "tessera custom" "${T_PORT[source]}" "$work/tessera.dump" -Fc

# --- restores ------------------------------------------------------------------
restore() {  # restore LABEL PORT DB (plain FILE | custom FILE)
  local label="$1" port="$2" db="$3" kind="$4" file="$5" out
  if [ "$kind" = plain ]; then
    out=$(run_psql "$port" "$db" -q -f "$file")
  else
    out=$(pg_restore -h 127.0.0.1 -p "$port" -U tessera -d "$db" --exit-on-error "$file" 2>&1)
  fi
  if [ $? -eq 0 ]; then pass "$label: restored"; else fail "$label: restore failed: $(head -n 5 <<< "$out")"; fi
}
restore "tessera plain dump into tessera" "${T_PORT[plain]}" tessera plain "$work/tessera.sql"
restore "postgresql custom dump into tessera (pg_restore)" "${T_PORT[custom]}" tessera custom "$work/postgresql.dump"
restore "tessera plain dump into postgresql" "$pg_port" from_plain plain "$work/tessera.sql"
restore "tessera custom dump into tessera (pg_restore)" "${T_PORT[own_custom]}" tessera custom "$work/tessera.dump"

# --- what a database holds, in one text ------------------------------------------
TABLES=(customers products orders order_lines pairs)
VIEWS=(active_customers order_totals)
SEQUENCES=(customers_id_seq orders_id_seq invoice_numbers)
describe() {  # describe PORT DB: \d of every object, comments, then contents
  local port="$1" db="$2" t
  for t in "${TABLES[@]}" "${VIEWS[@]}"; do run_psql "$port" "$db" -c "\\d+ $t"; done
  for t in "${SEQUENCES[@]}"; do run_psql "$port" "$db" -c "\\d $t"; done
  run_psql "$port" "$db" -c "SELECT pg_get_viewdef('active_customers'::regclass), pg_get_viewdef('order_totals'::regclass)"
  run_psql "$port" "$db" -c "SELECT obj_description('customers'::regclass, 'pg_class'),
    col_description('customers'::regclass, 3), obj_description('order_totals'::regclass, 'pg_class')"
  contents "$port" "$db"
}
contents() {  # contents PORT DB: rows and sequence positions
  local port="$1" db="$2" t
  for t in "${TABLES[@]}" "${VIEWS[@]}"; do run_psql "$port" "$db" -c "SELECT * FROM $t ORDER BY 1, 2, 3"; done
  for t in "${SEQUENCES[@]}"; do run_psql "$port" "$db" -c "SELECT last_value, is_called FROM $t"; done
}
next_values() {  # next_values PORT DB: where the sequences go on (moves them)
  run_psql "$1" "$2" -c "SELECT nextval('invoice_numbers'), nextval('customers_id_seq'), nextval('orders_id_seq')"
}
compare() {  # compare LABEL EXPECTED_TEXT ACTUAL_TEXT
  if [ "$2" = "$3" ]; then
    pass "$1: identical"
  else
    fail "$1: differs (< expected, > actual)"
    diff <(echo "$2") <(echo "$3") | head -n 40 | sed 's/^/    /'
  fi
}
tessera_source=$(describe "${T_PORT[source]}" tessera)
pg_source=$(describe "$pg_port" tessera)
compare "tessera plain restore matches its source" "$tessera_source" "$(describe "${T_PORT[plain]}" tessera)"
compare "tessera custom restore matches its source" "$tessera_source" "$(describe "${T_PORT[own_custom]}" tessera)"
# PostgreSQL's dump writes expressions as PostgreSQL prints them ('NL'::bpchar),
# which Tessera keeps as written, so \d differs there; the contents may not.
compare "postgresql custom dump restored into tessera holds the source's contents" \
  "$(contents "${T_PORT[source]}" tessera)" "$(contents "${T_PORT[custom]}" tessera)"
compare "tessera plain dump restored into postgresql matches postgresql's own load" \
  "$pg_source" "$(describe "$pg_port" from_plain)"
compare "restored sequences go on where the source's do" "$(next_values "${T_PORT[source]}" tessera)" \
  "$(next_values "${T_PORT[plain]}" tessera)"
compare "sequences restored into postgresql go on where postgresql's own do" "$(next_values "$pg_port" tessera)" \
  "$(next_values "$pg_port" from_plain)"

# --- Tessera's plain dump against PostgreSQL's --------------------------------------
# Both dumps, with what legitimately differs made alike (normalise.py), must
# hold the same entries with the same statements and the same rows:
#   - "-- Dumped from database version": the server's version string;
#   - "\restrict KEY" / "\unrestrict KEY": pg_dump 15.14+ brackets a script
#     with a random key, new in every dump;
#   - the search_path the script sets, and "public." before names: Tessera's
#     search path is always public, then pg_catalog (current_schemas), so
#     its pg_get_viewdef / pg_get_constraintdef / defaults never qualify a
#     name, where PostgreSQL's, under pg_dump's empty search_path, do;
#   - the text of CHECK and DEFAULT expressions: Tessera keeps an expression
#     as written ('NL', price >= 0) where PostgreSQL prints its own parse of
#     it ('NL'::bpchar, (price >= (0)::numeric)); the restores above check
#     that both mean the same;
#   - the entries' order; the restores check the order works.
compare "tessera's plain dump equals postgresql's (normalised)" \
  "$(/usr/bin/python3 "$here/normalise.py" "$work/postgresql.sql")" \
  "$(/usr/bin/python3 "$here/normalise.py" "$work/tessera.sql")"

# --- LOCK TABLE holds the dumped tables ---------------------------------------------
# pg_dump's locks, taken by hand: while one session holds ACCESS SHARE on a
# table, another cannot drop it (PostgreSQL would wait; Tessera says 55P03).
lock_out=$(/usr/bin/python3 - "${T_PORT[source]}" << 'EOF'
import sys, psycopg2
port = int(sys.argv[1])
dumper = psycopg2.connect(host="127.0.0.1", port=port, user="tessera", dbname="tessera")
other = psycopg2.connect(host="127.0.0.1", port=port, user="tessera", dbname="tessera")
other.autocommit = True
cur = dumper.cursor()
cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
cur.execute("LOCK TABLE public.pairs IN ACCESS SHARE MODE")
try:
    other.cursor().execute("DROP TABLE pairs")
    print("DROP TABLE succeeded under the lock")
except psycopg2.Error as e:
    print("under the lock:", e.pgcode)
cur.execute("SELECT count(*) FROM public.pairs")
print("rows:", cur.fetchone()[0])
dumper.rollback()
other.cursor().execute("CREATE TABLE lock_probe (x int)")
other.cursor().execute("DROP TABLE lock_probe")
other.cursor().execute("BEGIN")
try:
    other.cursor().execute("LOCK TABLE pairs")
except psycopg2.Error as e:
    print("ACCESS EXCLUSIVE:", e.pgcode)
EOF
)
compare "LOCK TABLE IN ACCESS SHARE MODE holds off DROP TABLE" "under the lock: 55P03
rows: 3
ACCESS EXCLUSIVE: 0A000" "$lock_out"

finish
