#!/usr/bin/env bash
# A pg_regress work-alike: runs each sql/NAME.sql through psql exactly as
# PostgreSQL 15's pg_regress does (stdin, -X -a -q, its environment), writes
# results/NAME.out and compares it with expected/NAME.out or NAME_[0-9].out.
#
#   run.sh [-h HOST] [-p PORT] [-U USER] [-d DB] [--inputdir DIR] [--outputdir DIR]
#          [--schedule FILE] [--create-db] [--timeout S] [--report] [TEST...]
#
# --inputdir   folder with sql/, expected/ (and data/); default: this folder
# --outputdir  where results/ and regression.diffs go; default: a new temp dir
# --schedule   run the tests of its "test:" lines, in order; default: all sql/*.sql
# --create-db  recreate DB and set pg_regress's per-database settings first
#              (needs CREATE/ALTER DATABASE; used for PostgreSQL)
# --report     exit 0 even when tests fail
# The last line is "regress total: P/N tests passed".
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
host=127.0.0.1 port=5433 user=tessera db=tessera
inputdir="$here" outputdir="" schedule="" create_db=0 report=0 timeout_s=300
tests=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h) host="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    -U) user="$2"; shift 2 ;;
    -d) db="$2"; shift 2 ;;
    --inputdir) inputdir="$(cd "$2" && pwd)"; shift 2 ;;
    --outputdir) outputdir="$2"; shift 2 ;;
    --schedule) schedule="$2"; shift 2 ;;
    --create-db) create_db=1; shift ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --report) report=1; shift ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) tests+=("$1"); shift ;;
  esac
done
[ -n "$outputdir" ] || outputdir="$(mktemp -d /tmp/regress.XXXXXX)"
mkdir -p "$outputdir/results"
outputdir="$(cd "$outputdir" && pwd)"
# The server writes here in the corpus's copy test (COPY ... TO 'results/...').
chmod 777 "$outputdir" "$outputdir/results" 2> /dev/null || true
: > "$outputdir/regression.diffs"

if [ ${#tests[@]} -eq 0 ]; then
  if [ -n "$schedule" ]; then
    read -r -a tests <<< "$(sed -n 's/^test: *//p' "$schedule" | tr '\n' ' ')"
  else
    for f in "$inputdir"/sql/*.sql; do [ -e "$f" ] && tests+=("$(basename "$f" .sql)"); done
  fi
fi

# pg_regress's environment (pg_regress.c, PostgreSQL 15).
unset LANGUAGE LC_ALL PGCLIENTENCODING PGDATABASE PGSERVICE PGSSLMODE
export LC_MESSAGES=C PGTZ=America/Los_Angeles PGDATESTYLE='Postgres, MDY'
export PGOPTIONS="${PGOPTIONS:-} -c intervalstyle=postgres_verbose"
export PGHOST="$host" PGPORT="$port" PGUSER="$user"
export PG_ABS_SRCDIR="$inputdir" PG_ABS_BUILDDIR="$outputdir" PG_LIBDIR="$outputdir" PG_DLSUFFIX=.so

if [ "$create_db" -eq 1 ]; then
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" \
    -c "CREATE DATABASE \"$db\" TEMPLATE=template0" \
    -c "ALTER DATABASE \"$db\" SET lc_messages TO 'C'" \
    -c "ALTER DATABASE \"$db\" SET lc_monetary TO 'C'" \
    -c "ALTER DATABASE \"$db\" SET lc_numeric TO 'C'" \
    -c "ALTER DATABASE \"$db\" SET lc_time TO 'C'" \
    -c "ALTER DATABASE \"$db\" SET bytea_output TO 'hex'" \
    -c "ALTER DATABASE \"$db\" SET timezone_abbreviations TO 'Default'" > /dev/null || exit 1
fi

passed=0
for t in "${tests[@]}"; do
  result="$outputdir/results/$t.out"
  PGAPPNAME="pg_regress/$t" timeout "$timeout_s" psql -X -a -q -d "$db" \
    -v HIDE_TABLEAM=on -v HIDE_TOAST_COMPRESSION=on \
    < "$inputdir/sql/$t.sql" > "$result" 2>&1
  status=FAILED
  best=""
  for e in "$inputdir/expected/$t.out" "$inputdir/expected/${t}"_[0-9].out; do
    [ -e "$e" ] || continue
    [ -n "$best" ] || best="$e"
    if diff -q "$e" "$result" > /dev/null; then status=ok; break; fi
  done
  if [ "$status" = ok ]; then
    passed=$((passed + 1))
  elif [ -n "$best" ]; then
    diff -U3 "$best" "$result" >> "$outputdir/regression.diffs"
  else
    echo "no expected file for $t" >> "$outputdir/regression.diffs"
  fi
  printf '%-6s %s\n' "$status" "$t"
done
echo "regress results in $outputdir/results, differences in $outputdir/regression.diffs"
echo "regress total: $passed/${#tests[@]} tests passed"
[ "$report" -eq 1 ] || [ "$passed" -eq "${#tests[@]}" ]
