#!/usr/bin/env bash
# Bank transfers on a loopback cluster (3 shard groups, 2 gateways): runs
# bank.py (see its header) against a cluster of its own.
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/bank.sh
#   BANK_SECONDS=20 BANK_WORKERS=6 BANK_ACCOUNTS=200   (defaults)
#   KEEP_CLUSTER=1   keep the cluster directory when a check fails
# Last line: "cluster-bank total: P passed, F failed". Takes about 30 s.
set -uo pipefail
suite=cluster-bank
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

python_suite bank.py "$(( ${BANK_SECONDS:-20} + 200 ))"
