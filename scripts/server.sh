# Sourced helpers: start a throwaway Tessera server on a free loopback port.
#   tessera_server_start BINARY [ARG...]   sets SERVER_PORT, SERVER_PID, SERVER_DIR
#                                          (ARGs go to `tessera start`)
#   tessera_server_stop
# The caller sets `trap tessera_server_stop EXIT` so an interrupted run leaves
# no server behind.

source "$(dirname "${BASH_SOURCE[0]}")/process.sh"

SERVER_PID=""
SERVER_DIR=""
SERVER_PORT=""

free_port() {  # outside the ephemeral range (scripts/free_ports.py says why)
  python3 "$(dirname "${BASH_SOURCE[0]}")/free_ports.py" 1
}

tessera_server_start() {
  local binary="$1"
  if [ ! -x "$binary" ]; then
    echo "server: $binary was not built" >&2
    return 1
  fi
  SERVER_DIR="$(mktemp -d /tmp/tessera-test.XXXXXX)"
  SERVER_PORT="$(free_port)"
  mkdir -p "$SERVER_DIR/data"
  "$binary" start --data "$SERVER_DIR/data" --port "$SERVER_PORT" --listen 127.0.0.1 "${@:2}" \
    > "$SERVER_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  # Poll for readiness: pg_isready succeeds once the server answers a startup packet.
  for _ in $(seq 1 150); do
    if pg_isready -q -h 127.0.0.1 -p "$SERVER_PORT" -t 1; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2> /dev/null; then
      echo "server: exited during start-up; its log:" >&2
      tail -n 30 "$SERVER_DIR/server.log" >&2
      SERVER_PID=""
      return 1
    fi
    sleep 0.2
  done
  echo "server: not ready after 30 s; its log:" >&2
  tail -n 30 "$SERVER_DIR/server.log" >&2
  return 1
}

tessera_server_stop() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2> /dev/null; then
    kill -TERM "$SERVER_PID" 2> /dev/null || true
    for _ in $(seq 1 50); do
      pid_running "$SERVER_PID" || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
  fi
  SERVER_PID=""
  if [ -n "$SERVER_DIR" ]; then
    rm -rf "$SERVER_DIR"
    SERVER_DIR=""
  fi
}
