#!/usr/bin/env python3
"""Lock waits across storage nodes (run by locks.sh on a cluster of its own).

    locks.py CLUSTER_DIR

Table lk(k int primary key, v int), rows 1..60; keys are placed on shard
groups by EXPLAIN's "Shards: group N" line. Transactions run on both gateways.

a. Two transactions lock a row each on different groups, then each asks for
   the other's row: a deadlock no single node sees. Exactly one of them gets
   40P01 within DEADLOCK_BOUND seconds (the oracle leader's detector looks
   once a second at waits older than a second); the other's statement then
   completes and it commits, and its writes are what the rows hold.
b. The same with three transactions over three groups (a cycle of three).
c. A transaction waiting for a row another holds (on another group, while the
   holder also waits for nothing) is no deadlock: it waits, and continues
   once the holder commits, with no 40P01.
"""
import os
import re
import sys
import time

import psycopg2

from cluster_common import Async, Checks, Failure, connect, describe, expect, expect_eq, gateway_ports, load_env, q, q1

SUITE = "cluster-locks"
DIR = sys.argv[1]
env = load_env(DIR)
GW = gateway_ports(env)
GROUPS = int(env["CLUSTER_GROUPS"])
DEADLOCK_BOUND = float(os.environ.get("DEADLOCK_BOUND", "4.0"))
HANG = 15.0  # the lock wait cap is 10 s: a statement still waiting after this is a hang

checks = Checks(SUITE)
keys_on = {}  # group -> keys


def setup():
    c = connect(GW[0])
    q(c, "DROP TABLE IF EXISTS lk")
    q(c, "CREATE TABLE lk (k int PRIMARY KEY, v int)")
    q(c, "INSERT INTO lk SELECT g, 0 FROM generate_series(1, 60) g")
    for k in range(1, 61):
        plan = "\n".join(r[0] for r in q(c, "EXPLAIN SELECT * FROM lk WHERE k = %d" % k))
        m = re.search(r"Shards: group (\d+)", plan)
        expect(m is not None, "no shard group in the plan of k = %d: %s" % (k, plan))
        keys_on.setdefault(int(m.group(1)), []).append(k)
    expect_eq(len(keys_on), GROUPS, "groups holding keys 1..60")
    return "keys per group: %s" % ", ".join("%d: %d" % (g, len(ks)) for g, ks in sorted(keys_on.items()))


def update_async(conn, key, value):
    return Async(lambda: q(conn, "UPDATE lk SET v = %d WHERE k = %d" % (value, key)))


def begin(port):
    c = connect(port, autocommit=False)
    c.cursor().execute("SELECT 1")  # psycopg2 opens the transaction block
    return c


def cycle(keys):
    """One transaction per key, alternating gateways: each locks its key, then
    waits for the next one's. Returns (victims, survivors, seconds to the 40P01)."""
    n = len(keys)
    conns = [begin(GW[i % len(GW)]) for i in range(n)]
    for i, c in enumerate(conns):
        q(c, "UPDATE lk SET v = %d WHERE k = %d" % (100 + i, keys[i]))
    waits = []
    for i, c in enumerate(conns):
        waits.append(update_async(c, keys[(i + 1) % n], 200 + i))
        time.sleep(0.1)  # each wait queued before the next: the last one closes the cycle
    start = time.monotonic()
    victims, survivors, first_error = [], [], None
    pending = set(range(n))
    while pending and time.monotonic() - start < HANG:
        for i in sorted(pending):
            if not waits[i].done.is_set():
                continue
            pending.discard(i)
            if waits[i].error is None:
                survivors.append(i)
                conns[i].commit()  # frees its locks: the one waiting for it goes on
                continue
            e = waits[i].error
            if not isinstance(e, psycopg2.Error) or e.pgcode != "40P01":
                raise Failure("transaction %d failed with %s, want 40P01" % (i, describe(e) if isinstance(e, psycopg2.Error) else e))
            victims.append(i)
            if first_error is None:
                first_error = time.monotonic() - start
            conns[i].rollback()  # frees its locks: the next in the cycle goes on
        time.sleep(0.02)
    expect(not pending, "statements %s still waiting after %.0f s" % (sorted(pending), HANG))
    for c in conns:
        c.close()
    return victims, survivors, first_error


def check_cycle(groups):
    keys = [keys_on[g][0] for g in groups]
    victims, survivors, seconds = cycle(keys)
    expect_eq(len(victims), 1, "transactions failed with 40P01")
    expect(seconds is not None and seconds <= DEADLOCK_BOUND,
           "the deadlock took %.1f s to break (bound %.1f s)" % (seconds, DEADLOCK_BOUND))
    # A survivor wrote its own key (100 + i) and the next one's (200 + i).
    c = connect(GW[1])
    n = len(keys)
    for i in survivors:
        expect_eq(q1(c, "SELECT v FROM lk WHERE k = %d" % keys[(i + 1) % n]), 200 + i, "row of key %d" % keys[(i + 1) % n])
    victim = victims[0]
    expect(q1(c, "SELECT v FROM lk WHERE k = %d" % keys[victim]) != 100 + victim, "the victim's write was rolled back")
    c.close()
    return "broken after %.1f s" % seconds


def check_plain_wait():
    a, b = keys_on[0][1], keys_on[1][1]
    holder = begin(GW[0])
    q(holder, "UPDATE lk SET v = 7 WHERE k = %d" % a)
    q(holder, "UPDATE lk SET v = 7 WHERE k = %d" % b)
    waiter = begin(GW[1])
    w = update_async(waiter, a, 8)
    time.sleep(2.5)  # older than the detector's threshold: it looks at this wait
    expect(not w.done.is_set(), "the waiter did not wait (%s)" % (describe(w.error) if w.error else "no error"))
    holder.commit()
    expect(w.wait(HANG), "the waiter did not continue after the holder committed")
    if w.error is not None:
        raise Failure("the waiter failed: %s" % describe(w.error))
    waiter.commit()
    c = connect(GW[0])
    expect_eq(q1(c, "SELECT v FROM lk WHERE k = %d" % a), 8, "row a")
    expect_eq(q1(c, "SELECT v FROM lk WHERE k = %d" % b), 7, "row b")
    c.close()


if checks.run("setup", setup, 60) is not None:
    checks.run("deadlock over two groups: one 40P01, the other commits", lambda: check_cycle([0, 1]), 40)
    if GROUPS >= 3:
        checks.run("deadlock over three groups: one 40P01, the others commit", lambda: check_cycle([0, 1, 2]), 40)
    checks.run("a wait for a row on another group is no deadlock", check_plain_wait, 40)
print("%s total: %d passed, %d failed" % (SUITE, checks.passed, checks.failed), flush=True)
checks.exit()
