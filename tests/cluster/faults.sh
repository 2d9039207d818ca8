#!/usr/bin/env bash
# Storage node failures on a loopback cluster (3 shard groups, 2 gateways):
# runs faults.py (see its header: SIGSTOP of each node, SIGKILL during writes)
# against a cluster of its own.
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/faults.sh
#   FAULT_BOUND=6.5 (seconds a failing statement may take) FAULT_KILL_GROUP=1
#   FAULT_KILL_SECONDS=5 (how long the killed node stays down)
#   KEEP_CLUSTER=1   keep the cluster directory when a check fails
# Last line: "cluster-faults total: P passed, F failed". Takes about a minute.
set -uo pipefail
suite=cluster-faults
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

python_suite faults.py 400
