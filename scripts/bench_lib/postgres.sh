# shellcheck shell=bash
# Sourced helpers: a throwaway PostgreSQL 15 on a free loopback port, with
# default settings, used by scripts/bench as the reference.
#   pg_server_start   sets PG_PORT, PG_DIR; superuser "postgres", trust auth
#   pg_server_stop
# Needs free_port from scripts/server.sh. initdb refuses to run as root, so as
# root the server runs as the postgres user.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR=""
PG_PORT=""

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_server_start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "postgres: $PG_BIN/initdb not found (package postgresql-15)" >&2
    return 1
  fi
  PG_DIR="$(mktemp -d /tmp/tessera-bench-pg.XXXXXX)"
  PG_PORT="$(free_port)"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi
  # --locale=C only pins the environment; every tuning setting stays default.
  if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C \
    > "$PG_DIR/initdb.log" 2>&1; then
    echo "postgres: initdb failed:" >&2
    tail -n 20 "$PG_DIR/initdb.log" >&2
    return 1
  fi
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR" start > /dev/null 2>&1; then
    echo "postgres: did not start; its log:" >&2
    tail -n 20 "$PG_DIR/server.log" >&2
    return 1
  fi
}

pg_server_stop() {
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop > /dev/null 2>&1 ||
      pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop > /dev/null 2>&1 || true
  fi
  if [ -n "$PG_DIR" ]; then
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
