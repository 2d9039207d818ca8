#!/usr/bin/env bash
# Temporary tables on a loopback cluster (3 shard groups, 2 gateways): runs
# temp_tables.py (see its header: privacy across gateways, dropped at
# session end, a killed gateway's dropped once its etcd lease runs out).
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/temp_tables.sh
# Last line: "cluster-temp-tables total: P passed, F failed". Takes about 30 s.
set -uo pipefail
suite=cluster-temp-tables
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

python_suite temp_tables.py 150
