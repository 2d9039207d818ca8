#!/usr/bin/env bash
# The cluster's black-box tests, each on a loopback cluster of its own
# (scripts/cluster.sh: etcd, 3 storage nodes, 2 gateways, in a mktemp
# directory, stopped on exit):
#   pgbench_two_gateways.sh  pgbench -i -s 10, TPC-B on both gateways at once
#   bank.sh                  bank transfers over both gateways; DDL seen at once
#   faults.sh                SIGSTOP / SIGKILL of storage nodes (08006 within
#                            bounds, no acknowledged write lost, 2PC atomic)
#   locks.sh                 deadlocks across nodes get 40P01 within seconds
#   overload.sh              issue 9 through a gateway: long chains, 200 lock
#                            waiters, pgbench -c 90 on one row, idle timeouts
#   replication.sh           2 groups x 2 replicas: backups hold every commit
#                            (checksums), refuse gateways, lag is dropped and
#                            rejoins, a late backup catches up, primary restart
#   link_security.sh         mutual TLS between the processes: a client without
#                            the cluster certificate gets nothing, and is logged
#   harness.sh               the fault harness's short form: 6 faults (killed
#                            and paused primaries, killed backups and gateway)
#                            under inserts, transfers and register reads; no
#                            loss, no stale read, replicas equal
#   temp_tables.sh           temporary tables: private across gateways, gone
#                            with their session and with a killed gateway
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/run.sh
#   TESSERA_QUICK=1   skip the pgbench part (about 2 minutes of the total)
#   KEEP_CLUSTER=1    keep a failing script's cluster directory (data, logs)
#   run.sh SCRIPT...  only these (e.g. bank.sh)
#
# Prints every "PASS/FAIL <suite> <check>" line and, last,
# "cluster total: P passed, F failed"; exits non-zero when a check failed.
# Takes 3 to 4 minutes (about 1.5 with TESSERA_QUICK=1) on 2 cores.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scripts=("$@")
if [ ${#scripts[@]} -eq 0 ]; then
  scripts=()
  [ "${TESSERA_QUICK:-0}" = 1 ] || scripts+=(pgbench_two_gateways.sh)
  scripts+=(bank.sh faults.sh locks.sh overload.sh replication.sh link_security.sh harness.sh temp_tables.sh)
fi
p=0
f=0
for s in "${scripts[@]}"; do
  log="$(mktemp /tmp/tessera-cluster-run.XXXXXX)"
  start=$(date +%s)
  # Each script bounds its own steps; this is a last resort against a hang.
  timeout -k 10 600 bash "$here/$s" 2>&1 | tee "$log" | grep -vE ' total: [0-9]+ passed, [0-9]+ failed$'
  rc=${PIPESTATUS[0]}
  sp=$(grep -c '^PASS ' "$log")
  sf=$(grep -c '^FAIL ' "$log")
  if [ "$rc" -ne 0 ] && [ "$sf" -eq 0 ]; then
    echo "FAIL cluster $s: exited with $rc without a FAIL line"
    sf=1
  fi
  echo "    ($s: $sp passed, $sf failed in $(($(date +%s) - start)) s)"
  p=$((p + sp))
  f=$((f + sf))
  rm -f "$log"
done
echo "cluster total: $p passed, $f failed"
[ "$f" -eq 0 ]
