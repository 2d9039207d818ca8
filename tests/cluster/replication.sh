#!/usr/bin/env bash
# Primary-backup replication on a loopback cluster of 2 shard groups x 2
# replicas and one gateway: runs replication.py (see its header) against a
# cluster of its own.
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/replication.sh
#   KEEP_CLUSTER=1   keep the cluster directory when a check fails
# Last line: "cluster-replication total: P passed, F failed". Takes about 40 s.
set -uo pipefail
suite=cluster-replication
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  fail "psycopg2" "$PYTHON cannot import psycopg2 (package python3-psycopg2)"
  cluster_total
fi
CLUSTER_REPLICAS=2 cluster_start 2 1 || cluster_total
run_python replication.py 120 "$here/replication.py" "$CLUSTER_DIR"
check_processes_alive
cluster_total
