# A fresh PostgreSQL 15 to compare Tessera with, for the suites' run.sh
# scripts (after scripts/server.sh, which gives free_port):
#   source "$root/tests/lib/reference_pg.sh"
#   reference_pg_start DIR [OPTION...]  initdb into DIR/data (superuser
#       "tessera", trust, UTF8, C locale; as the postgres user when we are
#       root, DIR handed to it), start it on a free loopback port with its
#       socket in DIR and the postgres OPTIONs given ("-c timezone=UTC"),
#       and create database "tessera"; sets pg_port. When it does not start
#       it shows the logs' last lines and returns 1.
#   reference_pg_stop DIR               stop it (fast), if it runs
#   as_pg_owner CMD...                  CMD as the owner of the cluster
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

as_pg_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

reference_pg_start() {
  local dir="$1"
  shift
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  pg_port="$(free_port)"
  if as_pg_owner "$PG_BIN/initdb" -D "$dir/data" -U tessera --auth=trust -E UTF8 --locale=C > "$dir/initdb.log" 2>&1 &&
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir $*" start > /dev/null 2>&1 &&
    as_pg_owner psql -X -q -h 127.0.0.1 -p "$pg_port" -U tessera -d postgres -c 'CREATE DATABASE tessera' > /dev/null; then
    return 0
  fi
  tail -n 5 "$dir/initdb.log" "$dir/server.log" 2> /dev/null | sed 's/^/    /'
  return 1
}

reference_pg_stop() {
  [ -f "$1/data/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 30 stop > /dev/null 2>&1
}
