#!/usr/bin/env bash
# Crash recovery under pgbench: TPC-B with 8 clients runs while the server is
# killed with SIGKILL at a random moment, 3 times; each time the server
# restarts on the same data directory and port with no manual step. Checks,
# after every restart and after a last clean run:
#   - TPC-B's invariant sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta);
#   - no acknowledged commit is lost: pgbench_history has at least as many rows
#     as transactions pgbench logged as committed (-l: one line per finished
#     transaction, a numeric latency when its END succeeded), and at most that
#     plus one in-flight transaction per client per kill.
#
#   crash.sh      throwaway server from $TESSERA_BIN or $BUILD_DIR/cluster/tessera
#   crash.sh -p PORT ...  with CRASH_KILL_CMD and CRASH_START_CMD (shell commands
#                 that crash and restart that server), e.g. PostgreSQL 15 with
#                 "pg_ctl stop -m immediate" and "pg_ctl start -w".
# Last line: "pgbench-crash total: P passed, F failed". Takes about 40 s.
set -uo pipefail
suite=pgbench-crash
source "$(dirname "$0")/lib.sh"
ROUNDS="${CRASH_ROUNDS:-3}"
CLIENTS=8
data="$work/data"
pid=""

start_server() {
  if [ -n "${CRASH_START_CMD:-}" ]; then
    bash -c "$CRASH_START_CMD" > "$work/start.log" 2>&1
  else
    "$TESSERA_BIN" start --data "$data" --port "$port" --listen 127.0.0.1 >> "$work/server.log" 2>&1 &
    pid=$!
  fi
  for _ in $(seq 1 300); do
    pg_isready -q -h "$host" -p "$port" -t 1 && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2> /dev/null; then break; fi
    sleep 0.2
  done
  return 1
}

kill_server() {
  if [ -n "${CRASH_KILL_CMD:-}" ]; then
    bash -c "$CRASH_KILL_CMD" > /dev/null 2>&1
  elif [ -n "$pid" ]; then
    kill -KILL "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    pid=""
  fi
}

cleanup() {
  if [ -z "${CRASH_START_CMD:-}" ] && [ -n "$pid" ]; then
    kill -TERM "$pid" 2> /dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

committed_in() {  # committed_in PREFIX: log lines whose latency is a number
  cat "$1".[0-9]* 2> /dev/null | awk '$3 ~ /^[0-9]+$/ { n++ } END { print n + 0 }'
}

# check_history NAME COMMITTED KILLS
check_history() {
  local rows max=$(($2 + CLIENTS * $3))
  if ! rows=$(psql_q "SELECT count(*) FROM pgbench_history" 2>&1); then
    fail "$1" "count failed: $rows"
  elif [ "$rows" -lt "$2" ]; then
    fail "$1" "pgbench_history has $rows rows, pgbench saw $2 commits: acknowledged commits were lost"
  elif [ "$rows" -gt "$max" ]; then
    fail "$1" "pgbench_history has $rows rows, more than $2 commits + $CLIENTS in flight per kill"
  else
    pass "$1 ($rows rows, $2 acknowledged commits)"
  fi
}

if [ -n "$port" ]; then
  [ -n "${CRASH_KILL_CMD:-}" ] && [ -n "${CRASH_START_CMD:-}" ] ||
    { echo "crash.sh -p needs CRASH_KILL_CMD and CRASH_START_CMD" >&2; exit 2; }
else
  [ -x "$TESSERA_BIN" ] || { fail server "$TESSERA_BIN was not built"; pgbench_total; }
  port="$(free_port)"
  mkdir -p "$data"
  start_server || { fail server "did not start: $(tail -n 5 "$work/server.log")"; pgbench_total; }
fi
pgbench_init "init -s 2" 2 || pgbench_total

committed=0
mkdir -p "$work/logs"
for round in $(seq 1 "$ROUNDS"); do
  prefix="$work/logs/round$round"
  # -n: keep pgbench_history (no TRUNCATE) across rounds.
  timeout 120 "$PGBENCH" -n -c "$CLIENTS" -j 2 -T 60 -l --log-prefix="$prefix" \
    -h "$host" -p "$port" -U "$user" "$db" > "$work/round$round.out" 2>&1 &
  bench=$!
  sleep "$((2 + RANDOM % 4)).$((RANDOM % 10))"
  kill_server
  wait "$bench"
  n=$(committed_in "$prefix")
  committed=$((committed + n))
  if [ "$n" -gt 0 ]; then
    pass "round $round: $n commits before the kill"
  else
    fail "round $round" "no commits before the kill: $(grep -m1 -iE 'error|fatal' "$work/round$round.out")"
  fi
  if ! start_server; then
    fail "round $round: restart" "not ready after 60 s: $(tail -n 5 "$work/server.log" "$work/start.log" 2> /dev/null)"
    pgbench_total
  fi
  pass "round $round: restart"
  check_history "round $round: history" "$committed" "$round"
  tpcb_invariant "round $round: invariant"
done

# A clean run on the recovered data: no failures, every commit counted.
prefix="$work/logs/final"
pgbench_run "tpcb after recovery 5s" -n -c "$CLIENTS" -j 2 -T 5 -l --log-prefix="$prefix"
committed=$((committed + $(committed_in "$prefix")))
check_history "history at the end" "$committed" "$ROUNDS"
tpcb_invariant "invariant at the end"
pgbench_total
