#!/usr/bin/env python3
"""Every replica of every shard group holds the same data: run by
scripts/test.sh after the SQL suites ran on its replicated loopback cluster,
so that everything those suites did (DDL, every DML path, sequences,
rollbacks, savepoints) is checked to have reached the backups exactly.

    replicas_agree.py CLUSTER_DIR     (TESSERA_BIN names the binary)

Prints "PASS replicas agree ..." or "FAIL replicas agree: ..." and exits 0/1.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_common import Failure, load_env  # noqa: E402
from replication_common import wait_same_checksums  # noqa: E402


def main():
    env = load_env(sys.argv[1])
    groups, replicas = int(env["CLUSTER_GROUPS"]), int(env["CLUSTER_REPLICAS"])
    try:
        found = []
        for g in range(groups):
            position, entries = wait_same_checksums(env, g, replicas, limit=30)
            found.append("group %d: %d replicas at position %d, %d entries" % (g, replicas, position, entries))
        print("PASS replicas agree after the SQL suites (%s)" % "; ".join(found))
        return 0
    except Failure as e:
        print("FAIL replicas agree after the SQL suites: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
