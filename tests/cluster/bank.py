#!/usr/bin/env python3
"""Bank transfers across shards and gateways (run by bank.sh on its own cluster).

    bank.py CLUSTER_DIR

accounts(id int primary key, balance bigint): BANK_ACCOUNTS rows (hash-spread
over every shard group), a fixed total. BANK_WORKERS threads, half on each
gateway, move money in explicit transactions (BEGIN; UPDATE a; UPDATE b;
COMMIT) for BANK_SECONDS; 40001, 40P01 and 55P03 are legitimate outcomes under
contention and are retried (and counted). A reader thread alternates gateways
with SELECT sum(balance), count(*) in one statement, and every third time
sums twice inside a REPEATABLE READ transaction. Checks: every sum equals the
total, the REPEATABLE READ sums agree, enough transfers committed, no error
outside the retryable classes, the final sum on both gateways, and every
account's final balance equals its start plus the committed transfers. DDL
(CREATE TABLE, ALTER TABLE ADD/DROP COLUMN, CREATE INDEX, DROP TABLE) done on
one gateway is visible on the other as soon as the statement returns, checked
before and during the transfers.
"""
import os
import random
import sys
import threading
import time

import psycopg2

from cluster_common import Checks, Failure, connect, describe, expect, expect_eq, gateway_ports, load_env, q

SUITE = "cluster-bank"
ACCOUNTS = int(os.environ.get("BANK_ACCOUNTS", "200"))
INITIAL = 1000
TOTAL = ACCOUNTS * INITIAL
WORKERS = int(os.environ.get("BANK_WORKERS", "6"))
SECONDS = float(os.environ.get("BANK_SECONDS", "20"))
MIN_TRANSFERS = int(os.environ.get("BANK_MIN_TRANSFERS", "100"))
RETRYABLE = {"40001", "40P01", "55P03"}
# Waits on a row lock held on another storage node cannot be seen by one
# node's deadlock detector; a client-side lock_timeout keeps such a wait short
# (it ends in 55P03, which is retried).
LOCK_TIMEOUT = os.environ.get("BANK_LOCK_TIMEOUT", "1s")

env = load_env(sys.argv[1])
GW = gateway_ports(env)
checks = Checks(SUITE)
stop = threading.Event()
lock = threading.Lock()
stats = {"committed": 0, "retries": {}, "unexpected": [], "read_errors": [], "reads": 0, "rr_reads": 0, "bad_sums": [],
         "ddl_rounds": 0}
deltas = [0] * (ACCOUNTS + 1)  # committed net change per account


def note_unexpected(where, e, kind="unexpected"):
    with lock:
        text = describe(e) if isinstance(e, psycopg2.Error) else str(e)
        if len(stats[kind]) < 20:
            stats[kind].append("%s: %s" % (where, text))
        else:
            stats[kind].append("...")


def rollback_quietly(c):
    try:
        q(c, "ROLLBACK")
    except psycopg2.Error:
        pass


def setup():
    c = connect(GW[0])
    q(c, "DROP TABLE IF EXISTS accounts")
    q(c, "CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)")
    q(c, "INSERT INTO accounts SELECT g, %d FROM generate_series(1, %d) g" % (INITIAL, ACCOUNTS))
    for port in GW:
        got = q(connect(port), "SELECT sum(balance), count(*) FROM accounts")[0]
        expect_eq((int(got[0]), got[1]), (TOTAL, ACCOUNTS), "sum and count on gateway port %d" % port)
    return "%d accounts, total %d" % (ACCOUNTS, TOTAL)


def ddl_round(tag, src, dst):
    """DDL on one gateway, each followed at once (no sleep) by a use on the other."""
    name = "bank_ddl_%s" % tag
    q(src, "DROP TABLE IF EXISTS %s" % name)
    q(src, "CREATE TABLE %s (id int PRIMARY KEY, a int)" % name)
    try:
        q(dst, "INSERT INTO %s VALUES (1, 10), (2, 20), (3, 30)" % name)
    except psycopg2.Error as e:
        raise Failure("INSERT on the other gateway right after CREATE TABLE: %s" % describe(e))
    q(src, "ALTER TABLE %s ADD COLUMN b int DEFAULT 7" % name)
    try:
        got = q(dst, "SELECT id, a, b FROM %s ORDER BY id" % name)
    except psycopg2.Error as e:
        raise Failure("SELECT of the new column on the other gateway right after ADD COLUMN: %s" % describe(e))
    expect_eq(got, [(1, 10, 7), (2, 20, 7), (3, 30, 7)], "rows on the other gateway after ADD COLUMN b DEFAULT 7")
    q(src, "ALTER TABLE %s DROP COLUMN a" % name)
    try:
        got = q(dst, "SELECT * FROM %s ORDER BY id" % name)
    except psycopg2.Error as e:
        raise Failure("SELECT * on the other gateway right after DROP COLUMN: %s" % describe(e))
    expect_eq(got, [(1, 7), (2, 7), (3, 7)], "SELECT * on the other gateway after DROP COLUMN a")
    q(src, "CREATE INDEX %s_b ON %s (b)" % (name, name))
    q(dst, "INSERT INTO %s VALUES (4, 8)" % name)
    expect_eq(q(dst, "SELECT id FROM %s WHERE b = 8" % name), [(4,)], "lookup on b after CREATE INDEX")
    q(src, "DROP TABLE %s" % name)
    try:
        q(dst, "SELECT count(*) FROM %s" % name)
    except psycopg2.Error as e:
        expect_eq(e.pgcode, "42P01", "SQLSTATE of a SELECT on the other gateway right after DROP TABLE")
    else:
        raise Failure("SELECT on the other gateway right after DROP TABLE succeeded")


def ddl_check(tag):
    c0, c1 = connect(GW[0]), connect(GW[1])
    try:
        for i in range(3):
            ddl_round("%s_%d" % (tag, 2 * i), c0, c1)
            ddl_round("%s_%d" % (tag, 2 * i + 1), c1, c0)
    finally:
        c0.close()
        c1.close()
    return "6 rounds, both directions"


def transfer(c, cur, a, b, amount):
    """One transfer in an explicit transaction. Returns True once committed,
    False after a retryable error (rolled back); raises on anything else."""
    try:
        cur.execute("BEGIN")
        cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s", (amount, a))
        expect_eq(cur.rowcount, 1, "rows updated for account %d" % a)
        cur.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (amount, b))
        expect_eq(cur.rowcount, 1, "rows updated for account %d" % b)
        cur.execute("COMMIT")
        expect_eq(cur.statusmessage, "COMMIT", "command tag of COMMIT")
        return True
    except psycopg2.Error as e:
        if e.pgcode in RETRYABLE:
            with lock:
                stats["retries"][e.pgcode] = stats["retries"].get(e.pgcode, 0) + 1
            rollback_quietly(c)
            return False
        raise


def worker(k):
    rnd = random.Random(k)
    port = GW[k % len(GW)]
    c = None
    while not stop.is_set():
        try:
            if c is None:
                c = connect(port)
                q(c, "SET lock_timeout = '%s'" % LOCK_TIMEOUT)
            cur = c.cursor()
            a, b = rnd.sample(range(1, ACCOUNTS + 1), 2)
            amount = rnd.randint(1, 100)
            while not stop.is_set():
                if transfer(c, cur, a, b, amount):
                    with lock:
                        stats["committed"] += 1
                        deltas[a] -= amount
                        deltas[b] += amount
                    break
        except Failure as e:
            note_unexpected("worker %d" % k, e)
            if c is not None:
                rollback_quietly(c)
        except psycopg2.Error as e:
            note_unexpected("worker %d" % k, e)
            if c is None or c.closed:
                c = None
                time.sleep(0.1)
            else:
                rollback_quietly(c)
        except Exception as e:  # noqa: BLE001
            note_unexpected("worker %d" % k, repr(e))
            return


def reader():
    conns = [connect(p) for p in GW]
    i = 0
    while not stop.is_set():
        c = conns[i % len(conns)]
        i += 1
        try:
            if i % 3 == 0:
                q(c, "BEGIN ISOLATION LEVEL REPEATABLE READ")
                s1, n1 = q(c, "SELECT sum(balance), count(*) FROM accounts")[0]
                time.sleep(0.05)  # transfers commit meanwhile
                s2, n2 = q(c, "SELECT sum(balance), count(*) FROM accounts")[0]
                q(c, "COMMIT")
                with lock:
                    stats["rr_reads"] += 1
                    if (int(s1), n1) != (TOTAL, ACCOUNTS) or (int(s2), n2) != (TOTAL, ACCOUNTS):
                        stats["bad_sums"].append("REPEATABLE READ sums %s then %s, counts %s then %s" % (s1, s2, n1, n2))
            else:
                s, n = q(c, "SELECT sum(balance), count(*) FROM accounts")[0]
                with lock:
                    stats["reads"] += 1
                    if (int(s), n) != (TOTAL, ACCOUNTS):
                        stats["bad_sums"].append("sum %s count %s on gateway %d" % (s, n, (i - 1) % len(conns)))
        except psycopg2.Error as e:
            # A read-only transaction has nothing to retry: no error is expected.
            note_unexpected("reader (%s)" % ("REPEATABLE READ pair" if i % 3 == 0 else "single statement"), e,
                            "read_errors")
            rollback_quietly(c)
            time.sleep(0.05)


def workload():
    ddl = {}

    def ddl_under_load():
        try:
            while not stop.is_set():
                ddl_check("load%d" % stats["ddl_rounds"])
                stats["ddl_rounds"] += 1
                time.sleep(1)
        except BaseException as e:  # noqa: B902
            ddl["error"] = e

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(WORKERS)]
    threads.append(threading.Thread(target=reader, daemon=True))
    threads.append(threading.Thread(target=ddl_under_load, daemon=True))
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join(30)
    hung = sum(t.is_alive() for t in threads)
    return hung, ddl.get("error")


def main():
    if checks.run("setup", setup, 60) is None:
        checks.exit()
    checks.run("ddl visible on the other gateway at once", lambda: ddl_check("idle"), 60)

    result = {}

    def run():
        result["hung"], result["ddl_error"] = workload()

    t0 = time.monotonic()
    if checks.run("workload ran and stopped", lambda: run() or "%d workers, %.0f s" % (WORKERS, SECONDS),
                  SECONDS + 60) is None:
        checks.exit()
    elapsed = time.monotonic() - t0
    retries = stats["retries"]
    retry_text = ", ".join("%s x%d" % (k, v) for k, v in sorted(retries.items())) or "none"

    def no_hung_threads():
        expect(result["hung"] == 0, "%d threads still busy 30 s after the end (hang)" % result["hung"])

    checks.run("no thread hung", no_hung_threads)

    def sums_ok():
        expect(stats["reads"] > 0 and stats["rr_reads"] > 0,
               "too few reads: %d single, %d REPEATABLE READ" % (stats["reads"], stats["rr_reads"]))
        expect(not stats["bad_sums"], "%d wrong reads (total %d), first: %s" %
               (len(stats["bad_sums"]), TOTAL, "; ".join(stats["bad_sums"][:3])))
        return "%d single-statement sums, %d REPEATABLE READ pairs, all %d" % (stats["reads"], stats["rr_reads"], TOTAL)

    checks.run("every sum equals the total", sums_ok)

    def enough():
        expect(stats["committed"] > MIN_TRANSFERS, "only %d transfers committed in %.0f s (want > %d)" %
               (stats["committed"], elapsed, MIN_TRANSFERS))
        return "%d committed, %.1f/s; retried: %s" % (stats["committed"], stats["committed"] / elapsed, retry_text)

    checks.run("committed transfers", enough)

    def no_unexpected():
        expect(not stats["unexpected"], "%d unexpected errors: %s" %
               (len(stats["unexpected"]), "; ".join(stats["unexpected"][:5])))

    checks.run("transfers: no errors besides 40001 40P01 55P03", no_unexpected)

    def no_read_errors():
        expect(not stats["read_errors"], "%d of %d reads failed: %s" %
               (len(stats["read_errors"]), stats["reads"] + stats["rr_reads"] + len(stats["read_errors"]),
                "; ".join(stats["read_errors"][:5])))

    checks.run("reads never fail", no_read_errors)

    def ddl_load():
        if result["ddl_error"] is not None:
            raise result["ddl_error"]
        return "%d checks while transfers ran" % stats["ddl_rounds"]

    checks.run("ddl visible on the other gateway at once under load", ddl_load)

    def final_sum():
        for port in GW:
            s, n = q(connect(port), "SELECT sum(balance), count(*) FROM accounts")[0]
            expect_eq((int(s), n), (TOTAL, ACCOUNTS), "final sum and count on gateway port %d" % port)
        return "sum %d on both gateways" % TOTAL

    checks.run("final sum", final_sum)

    def final_balances():
        want = {i: INITIAL + deltas[i] for i in range(1, ACCOUNTS + 1)}
        views = []
        for port in GW:
            got = dict(q(connect(port), "SELECT id, balance FROM accounts ORDER BY id"))
            views.append(got)
            wrong = [(i, got.get(i), want[i]) for i in want if got.get(i) != want[i]]
            expect(not wrong, "gateway port %d: %d accounts differ from start + committed transfers "
                   "(id, got, want): %s" % (port, len(wrong), wrong[:5]))
        expect(views[0] == views[1], "the gateways read different balances")

    checks.run("final balances = start + committed transfers", final_balances)
    checks.exit()


if __name__ == "__main__":
    main()
