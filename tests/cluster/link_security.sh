#!/usr/bin/env bash
# Authenticated cluster links (issue 13) on a loopback cluster of 1 shard
# group x 2 replicas and one gateway, with mutual TLS between its processes
# (scripts/cluster.sh's default) and an etcd on https:// only (CLUSTER_ETCD_TLS=1):
# runs link_security.py (see its header).
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/link_security.sh
# Last line: "cluster-link-security total: P passed, F failed". About 15 s.
set -uo pipefail
suite=cluster-link-security
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  fail "psycopg2" "$PYTHON cannot import psycopg2 (package python3-psycopg2)"
  cluster_total
fi
CLUSTER_TLS=1 CLUSTER_ETCD_TLS=1 CLUSTER_REPLICAS=2 cluster_start 1 1 || cluster_total
run_python link_security.py 120 "$here/link_security.py" "$CLUSTER_DIR"
check_processes_alive
cluster_total
