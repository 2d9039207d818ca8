#!/usr/bin/env bash
# Lock waits across storage nodes on a loopback cluster (3 shard groups, 2
# gateways): runs locks.py (see its header: deadlocks that span nodes get
# 40P01 within DEADLOCK_BOUND seconds, plain waits are left alone).
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/locks.sh
#   DEADLOCK_BOUND=4.0   KEEP_CLUSTER=1 (keep the cluster directory when a check fails)
# Last line: "cluster-locks total: P passed, F failed". Takes about 30 s.
set -uo pipefail
suite=cluster-locks
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

python_suite locks.py 120
