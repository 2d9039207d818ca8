#!/usr/bin/env bash
# The fault harness (harness.py, see its header) on a cluster of its own:
# 3 shard groups x 2 replicas (group 0 gets a third), 2 gateways, 3 etcd members.
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/harness.sh [harness.py options]
#   HARNESS_FAULTS=7     faults to inject (CI's short form; scripts/fault-harness runs the long one)
#   HARNESS_KINDS=...    fault kinds (default: every kind but etcd-outage)
#   HARNESS_SEED=N       the nemesis's random seed (default 20261207, so CI runs one schedule)
#   KEEP_CLUSTER=1       keep the cluster directory when a check fails
# Last line: "cluster-harness total: P passed, F failed". About 2 minutes for 7 faults (one of each kind).
set -uo pipefail
suite=cluster-harness
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  fail "psycopg2" "$PYTHON cannot import psycopg2 (package python3-psycopg2)"
  cluster_total
fi
faults="${HARNESS_FAULTS:-7}"
CLUSTER_ETCD=3 CLUSTER_REPLICAS=2 cluster_start 3 2 || cluster_total
run_python harness.py $((240 + faults * 50)) "$here/harness.py" "$CLUSTER_DIR" --faults "$faults" \
  --kinds "${HARNESS_KINDS:-kill-primary,kill-backup,pause-primary,kill-gateway,kill-etcd-leader,planned-move,kill-oracle}" --seed "${HARNESS_SEED:-20261207}" "$@"
check_processes_alive
cluster_total
