#!/usr/bin/env python3
"""Temporary tables on a cluster (run by temp_tables.sh on a cluster of its own).

    temp_tables.py CLUSTER_DIR

The catalog is shared through etcd, so every gateway lists every temp table
in pg_class; only the session that made it finds it by name. Checks:
a. a temp table made through gateway 0 is private: gateway 1's sessions get
   42P01 for its name and may make their own of the same name;
b. it is dropped when its session ends;
c. after gateway 0 is killed (SIGKILL) with a session holding a temp table,
   its etcd lease runs out and the next session's first temp table (through
   gateway 1) drops the leftover; gateway 0 starts again and serves.
"""
import sys
import time

import psycopg2

from cluster_common import Checks, Failure, close_quietly, cluster_sh, connect, expect_eq, gateway_ports, load_env, q, q1

SUITE = "cluster-temp-tables"
DIR = sys.argv[1]
env = load_env(DIR)
GW = gateway_ports(env)
checks = Checks(SUITE)
held = {}


def others(conn, name):
    """How many temp tables named `name` of other sessions pg_class lists."""
    return q1(conn, "SELECT count(*) FROM pg_class WHERE relname = %s AND relpersistence = 't' "
                    "AND pg_is_other_temp_schema(relnamespace)", (name,))


def private():
    a = connect(GW[0])
    held["a"] = a
    q(a, "CREATE TEMP TABLE tt_gw (id serial PRIMARY KEY, v text)")
    q(a, "INSERT INTO tt_gw (v) VALUES ('gateway 0')")
    b = connect(GW[1])
    try:
        q(b, "SELECT * FROM tt_gw")
        raise Failure("gateway 1 read another session's temp table")
    except psycopg2.Error as e:
        expect_eq(e.pgcode, "42P01", "SQLSTATE for another session's temp table")
    expect_eq(others(b, "tt_gw"), 1, "gateway 1 lists it in pg_class as another session's")
    q(b, "CREATE TEMP TABLE tt_gw (id int)")
    expect_eq(q1(b, "SELECT count(*) FROM tt_gw"), 0, "gateway 1's own tt_gw")
    expect_eq(q1(a, "SELECT v FROM tt_gw"), "gateway 0", "gateway 0's tt_gw")
    close_quietly(b)


def session_end():
    c = connect(GW[0])
    q(c, "CREATE TEMP TABLE tt_end (id int)")
    watcher = connect(GW[1])
    expect_eq(others(watcher, "tt_end"), 1, "listed while its session lives")
    c.close()
    for _ in range(50):
        if others(watcher, "tt_end") == 0:
            return
        time.sleep(0.1)
    raise Failure("tt_end outlived its session")


def gateway_crash():
    cluster_sh("kill-gateway", 0, "KILL", DIR)
    close_quietly(held.pop("a"))
    watcher = connect(GW[1])
    deadline = time.monotonic() + 20  # the lease is 3 s
    n = 0
    while time.monotonic() < deadline:
        n += 1
        fresh = connect(GW[1])  # its first temp table drops what dead sessions left
        q(fresh, "CREATE TEMP TABLE tt_probe%d (id int)" % n)
        close_quietly(fresh)
        if others(watcher, "tt_gw") == 0:
            break
        time.sleep(0.5)
    expect_eq(others(watcher, "tt_gw"), 0, "the dead gateway's temp table after its lease ran out")
    cluster_sh("restart-gateway", 0, DIR)
    c = connect(GW[0])
    q(c, "CREATE TEMP TABLE tt_gw (id int)")
    expect_eq(q1(c, "SELECT count(*) FROM tt_gw"), 0, "a new temp table through the restarted gateway")
    close_quietly(c)
    return "dropped after %d probe(s)" % n


checks.run("a temp table is private to its session", private)
checks.run("dropped when its session ends", session_end)
checks.run("a killed gateway's temp tables are dropped", gateway_crash, limit=90)
checks.exit()
