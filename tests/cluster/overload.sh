#!/usr/bin/env bash
# Issue 9's overload checks through a gateway (tests/overload/test_overload.py
# on a loopback cluster of 3 groups and 1 gateway started with
# --max-connections 300): 20,000-term chains, 200 sessions waiting on one
# row while a newcomer still gets served, pgbench -c 90 on one branch row,
# idle timeouts. The connection-limit checks run embedded (tests/overload),
# the code being the same pgwire server.
#
#   TESSERA_BIN=build/cluster/tessera bash tests/cluster/overload.sh
# Last line: "cluster-overload total: P passed, F failed". Takes about 90 s.
set -uo pipefail
suite=cluster-overload
source "$(dirname "$0")/lib.sh"
trap cluster_stop EXIT

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  fail "psycopg2" "$PYTHON cannot import psycopg2 (package python3-psycopg2)"
  cluster_total
fi
GATEWAY_ARGS="--max-connections 300" cluster_start 3 1 || cluster_total
run_python test_overload.py 400 "$root/tests/overload/test_overload.py" 127.0.0.1 "$GATEWAY_PORT_0" tessera tessera
check_processes_alive
cluster_total
