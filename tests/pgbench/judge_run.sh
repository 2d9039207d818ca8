# shellcheck shell=bash
# Sourced by tests/pgbench/lib.sh and tests/cluster/pgbench_two_gateways.sh.
# judge_pgbench_run NAME RC LOG: passes when pgbench exited 0, processed
# transactions > 0 and reported "number of failed transactions: 0"; uses the
# caller's pass/fail. Sets PGBENCH_PROCESSED to the transactions processed.
judge_pgbench_run() {
  local name="$1" rc="$2" log="$3" n nf tps
  n=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$log")
  nf=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$log")
  tps=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$log")
  PGBENCH_PROCESSED="${n:-0}"
  if [ "$rc" -ne 0 ]; then
    fail "$name" "pgbench exited with $rc: $(grep -m1 -iE 'error|abort|fatal' "$log" || tail -n 1 "$log")"
  elif [ -z "$n" ] || [ "$n" -eq 0 ]; then
    fail "$name" "no transactions processed"
  elif [ "$nf" != 0 ]; then
    fail "$name" "${nf:-unknown number of} failed transactions: $(grep -m1 -iE 'error' "$log")"
  else
    pass "$name ($n transactions, tps $tps)"
  fi
}
