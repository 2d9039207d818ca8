#!/usr/bin/env python3
"""Isolation tests: two or more psycopg2 sessions against one server.

    test_isolation.py HOST PORT USER DB [TEST...]

Every test prints "PASS concurrency <name>" or "FAIL concurrency <name>: <reason>".
Each was checked against PostgreSQL 15, which passes all of them. A statement that
is expected to block runs in a thread; a test that hangs fails after its time
limit and the run goes on with the next test (the hung session is abandoned).
"""
import os
import signal
import subprocess
import sys
import threading
import time
import traceback

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import sql_client  # noqa: E402
from sql_client import q, q1  # noqa: E402,F401
from checks import Async, Failure, expect, expect_eq  # noqa: E402
from fk_tests import FK_TESTS  # noqa: E402

HOST, PORT, USER, DB = sys.argv[1:5]
ONLY = set(sys.argv[5:])
TEST_TIMEOUT = float(os.environ.get("CONCURRENCY_TEST_TIMEOUT", "30"))


def connect():
    return sql_client.connect(HOST, PORT, USER, DB)


def sqlstate_of(conn, sql):
    """Runs sql and returns the SQLSTATE it failed with, or None when it succeeded."""
    try:
        q(conn, sql)
        return None
    except psycopg2.Error as e:
        return e.pgcode or "(no sqlstate: %s)" % str(e).strip()


def run_sqlstate_async(conn, sql):
    return Async(lambda: sqlstate_of(conn, sql))


def make_table(conn, name, rows):
    q(conn, "DROP TABLE IF EXISTS %s" % name)
    q(conn, "CREATE TABLE %s (id integer PRIMARY KEY, x integer NOT NULL)" % name)
    for i, x in rows:
        q(conn, "INSERT INTO %s VALUES (%d, %d)" % (name, i, x))


# --- tests ---------------------------------------------------------------------

def test_no_dirty_read(a, b):
    make_table(a, "iso_dirty", [(1, 10)])
    q(a, "BEGIN")
    q(a, "UPDATE iso_dirty SET x = 99 WHERE id = 1")
    q(a, "INSERT INTO iso_dirty VALUES (2, 20)")
    expect_eq(q(b, "SELECT id, x FROM iso_dirty ORDER BY id"), [(1, 10)], "other session during the transaction")
    q(a, "ROLLBACK")
    expect_eq(q(b, "SELECT id, x FROM iso_dirty ORDER BY id"), [(1, 10)], "other session after ROLLBACK")
    expect_eq(q(a, "SELECT id, x FROM iso_dirty ORDER BY id"), [(1, 10)], "own session after ROLLBACK")


def test_readers_do_not_block(a, b):
    make_table(a, "iso_noblock", [(1, 10), (2, 20)])
    q(a, "BEGIN")
    q(a, "UPDATE iso_noblock SET x = 11 WHERE id = 1")
    q(a, "DELETE FROM iso_noblock WHERE id = 2")
    for level in ("READ COMMITTED", "REPEATABLE READ"):
        r = Async(lambda: (q(b, "BEGIN ISOLATION LEVEL " + level),
                           q(b, "SELECT x FROM iso_noblock WHERE id = 1"),
                           q(b, "SELECT count(*) FROM iso_noblock"),
                           q(b, "COMMIT")))
        res = r.result(5, "a %s reader of rows another session has written" % level)
        expect_eq(res[1], [(10,)], "%s read of an updated row" % level)
        expect_eq(res[2], [(2,)], "%s count with a deleted row" % level)
    q(a, "COMMIT")
    expect_eq(q(b, "SELECT x FROM iso_noblock ORDER BY id"), [(11,)], "after COMMIT")


def test_no_lost_updates(a, b):
    threads, per_thread = 4, 50
    make_table(a, "iso_counter", [(1, 0)])
    errors = []

    def worker(k):
        try:
            c = connect()
            for i in range(per_thread):
                if (k + i) % 2:
                    q(c, "UPDATE iso_counter SET x = x + 1 WHERE id = 1")
                else:
                    q(c, "BEGIN")
                    q(c, "UPDATE iso_counter SET x = x + 1 WHERE id = 1")
                    q(c, "COMMIT")
            c.close()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append("thread %d: %s" % (k, str(e).strip()))

    ts = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for t in ts:
        t.start()
    deadline = time.time() + TEST_TIMEOUT - 5
    for t in ts:
        t.join(max(0.1, deadline - time.time()))
    expect(not any(t.is_alive() for t in ts), "the increment threads did not finish")
    expect(not errors, "errors under READ COMMITTED: %s" % "; ".join(errors[:3]))
    expect_eq(q1(a, "SELECT x FROM iso_counter WHERE id = 1"), threads * per_thread, "counter")


def test_rc_waits_and_rereads(a, b):
    make_table(a, "iso_reread", [(1, 100), (2, 100)])
    q(a, "BEGIN")
    q(a, "UPDATE iso_reread SET x = x + 1 WHERE id = 1")
    q(a, "UPDATE iso_reread SET x = x + 1 WHERE id = 2")
    w = run_sqlstate_async(b, "UPDATE iso_reread SET x = x * 2 WHERE id = 1")
    expect(w.blocked(), "an UPDATE of a row locked by an open transaction did not wait")
    q(a, "COMMIT")
    expect_eq(w.result(10, "the waiting UPDATE"), None, "SQLSTATE of the waiting UPDATE")
    expect_eq(q1(a, "SELECT x FROM iso_reread WHERE id = 1"), 202, "x after (100 + 1) * 2")
    c = connect()
    try:
        q(a, "BEGIN")
        q(a, "UPDATE iso_reread SET x = x + 1 WHERE id = 2")  # 101 -> 102
        # The waiter re-checks its WHERE against the committed row, which no longer matches.
        w2 = Async(lambda: q(c, "UPDATE iso_reread SET x = 0 WHERE id = 2 AND x = 101 RETURNING id"))
        expect(w2.blocked(), "the second UPDATE did not wait")
        q(a, "COMMIT")
        expect_eq(w2.result(10, "the waiting UPDATE with a WHERE"), [], "rows updated after re-checking x = 101")
        expect_eq(q1(a, "SELECT x FROM iso_reread WHERE id = 2"), 102, "x of row 2")
    finally:
        c.close()


def test_rc_statement_snapshot(a, b):
    make_table(a, "iso_rcsnap", [(1, 1)])
    q(a, "BEGIN ISOLATION LEVEL READ COMMITTED")
    expect_eq(q1(a, "SELECT sum(x) FROM iso_rcsnap"), 1, "first read")
    q(b, "UPDATE iso_rcsnap SET x = 5 WHERE id = 1")
    q(b, "INSERT INTO iso_rcsnap VALUES (2, 10)")
    expect_eq(q1(a, "SELECT sum(x) FROM iso_rcsnap"), 15, "READ COMMITTED read after another commit")
    q(a, "COMMIT")


def test_rr_snapshot_stable(a, b):
    make_table(a, "iso_rrsnap", [(1, 1), (2, 2)])
    q(a, "BEGIN ISOLATION LEVEL REPEATABLE READ")
    expect_eq(q(a, "SHOW transaction_isolation"), [("repeatable read",)], "SHOW transaction_isolation")
    expect_eq(q1(a, "SELECT sum(x) FROM iso_rrsnap"), 3, "first read")
    q(b, "UPDATE iso_rrsnap SET x = 100 WHERE id = 1")
    q(b, "INSERT INTO iso_rrsnap VALUES (3, 3)")
    q(b, "DELETE FROM iso_rrsnap WHERE id = 2")
    expect_eq(q1(a, "SELECT sum(x) FROM iso_rrsnap"), 3, "sum after other commits")
    expect_eq(q(a, "SELECT id, x FROM iso_rrsnap ORDER BY id"), [(1, 1), (2, 2)], "rows after other commits")
    expect_eq(q(a, "SELECT x FROM iso_rrsnap WHERE id = 2"), [(2,)], "point read of a row deleted by another")
    q(a, "COMMIT")
    expect_eq(q(a, "SELECT id, x FROM iso_rrsnap ORDER BY id"), [(1, 100), (3, 3)], "rows after COMMIT")


def test_rr_conflict_committed(a, b):
    make_table(a, "iso_rr1", [(1, 0)])
    q(a, "BEGIN ISOLATION LEVEL REPEATABLE READ")
    q(a, "SELECT x FROM iso_rr1 WHERE id = 1")  # takes the snapshot
    q(b, "UPDATE iso_rr1 SET x = 1 WHERE id = 1")
    expect_eq(sqlstate_of(a, "UPDATE iso_rr1 SET x = 2 WHERE id = 1"), "40001",
              "UPDATE of a row changed after the snapshot")
    expect_eq(sqlstate_of(a, "SELECT 1"), "25P02", "next statement in the failed transaction")
    q(a, "ROLLBACK")
    expect_eq(q1(a, "SELECT x FROM iso_rr1 WHERE id = 1"), 1, "x after the conflict")


def test_rr_conflict_concurrent(a, b):
    make_table(a, "iso_rr2", [(1, 0)])
    q(a, "BEGIN ISOLATION LEVEL REPEATABLE READ")
    q(a, "SELECT x FROM iso_rr2 WHERE id = 1")
    q(b, "BEGIN")
    q(b, "UPDATE iso_rr2 SET x = 1 WHERE id = 1")
    w = run_sqlstate_async(a, "UPDATE iso_rr2 SET x = 2 WHERE id = 1")
    expect(w.blocked(), "the REPEATABLE READ UPDATE did not wait for the row lock")
    q(b, "COMMIT")
    expect_eq(w.result(10, "the waiting REPEATABLE READ UPDATE"), "40001", "SQLSTATE once the holder commits")
    q(a, "ROLLBACK")
    # When the holder rolls back instead, the waiter goes ahead.
    q(a, "BEGIN ISOLATION LEVEL REPEATABLE READ")
    q(a, "SELECT x FROM iso_rr2 WHERE id = 1")
    q(b, "BEGIN")
    q(b, "UPDATE iso_rr2 SET x = 5 WHERE id = 1")
    w = run_sqlstate_async(a, "UPDATE iso_rr2 SET x = 3 WHERE id = 1")
    expect(w.blocked(), "the second REPEATABLE READ UPDATE did not wait")
    q(b, "ROLLBACK")
    expect_eq(w.result(10, "the REPEATABLE READ UPDATE after a ROLLBACK"), None, "SQLSTATE once the holder rolls back")
    q(a, "COMMIT")
    expect_eq(q1(b, "SELECT x FROM iso_rr2 WHERE id = 1"), 3, "x")


def test_deadlock(a, b):
    make_table(a, "iso_dead", [(1, 0), (2, 0)])
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(a, "UPDATE iso_dead SET x = x + 1 WHERE id = 1")
    q(b, "UPDATE iso_dead SET x = x + 10 WHERE id = 2")
    wa = run_sqlstate_async(a, "UPDATE iso_dead SET x = x + 1 WHERE id = 2")
    expect(wa.blocked(), "the first crossing UPDATE did not wait")
    wb = run_sqlstate_async(b, "UPDATE iso_dead SET x = x + 10 WHERE id = 1")
    sa = wa.result(15, "session A's crossing UPDATE")
    sb = wb.result(15, "session B's crossing UPDATE")
    states = sorted([str(sa), str(sb)])
    expect_eq(states, ["40P01", "None"], "SQLSTATEs of the two sessions (exactly one 40P01)")
    winner, loser = (a, b) if sb == "40P01" else (b, a)
    expect_eq(sqlstate_of(loser, "SELECT 1"), "25P02", "the deadlock victim's next statement")
    q(loser, "ROLLBACK")
    q(winner, "COMMIT")
    want = [(1, 1), (2, 1)] if winner is a else [(1, 10), (2, 10)]
    expect_eq(q(a, "SELECT id, x FROM iso_dead ORDER BY id"), want, "rows: only the survivor's writes")


def test_unique_index_waits(a, b):
    """Two inserts of one value into a unique (non-key) column: the second
    waits for the first, then fails with 23505 if it committed, or goes on
    if it rolled back. Never two rows with the value."""
    q(a, "DROP TABLE IF EXISTS iso_uniq")
    q(a, "CREATE TABLE iso_uniq (id integer PRIMARY KEY, u text UNIQUE)")
    for outcome, want_b, want_rows in (("COMMIT", "23505", [(1, "v")]), ("ROLLBACK", "None", [(2, "v")])):
        q(a, "DELETE FROM iso_uniq")
        q(a, "BEGIN")
        q(a, "INSERT INTO iso_uniq VALUES (1, 'v')")
        wb = run_sqlstate_async(b, "INSERT INTO iso_uniq VALUES (2, 'v')")
        expect(wb.blocked(), "the second insert of the value did not wait (%s)" % outcome)
        q(a, outcome)
        expect_eq(str(wb.result(15, "the second insert")), want_b, "SQLSTATE of the second insert after " + outcome)
        expect_eq(q(a, "SELECT id, u FROM iso_uniq ORDER BY id"), want_rows, "rows after " + outcome)
    # An UPDATE to a new value holds it the same way.
    q(a, "INSERT INTO iso_uniq VALUES (3, 'w')")
    q(a, "BEGIN")
    q(a, "UPDATE iso_uniq SET u = 'q' WHERE id = 3")
    wb = run_sqlstate_async(b, "INSERT INTO iso_uniq VALUES (4, 'q')")
    expect(wb.blocked(), "an insert of a value being updated into did not wait")
    q(a, "COMMIT")
    expect_eq(str(wb.result(15, "the insert")), "23505", "SQLSTATE of the insert after the UPDATE committed")


def test_aborted_transaction(a, b):
    make_table(a, "iso_abort", [(1, 0)])
    q(a, "BEGIN")
    q(a, "INSERT INTO iso_abort VALUES (2, 2)")
    expect_eq(sqlstate_of(a, "SELECT 1 / 0"), "22012", "division by zero")
    for sql in ("SELECT 1", "SELECT x FROM iso_abort", "INSERT INTO iso_abort VALUES (3, 3)",
                "UPDATE iso_abort SET x = 5", "SET lock_timeout = '1s'"):
        expect_eq(sqlstate_of(a, sql), "25P02", sql)
    q(a, "ROLLBACK")
    expect_eq(q1(a, "SELECT 1"), 1, "SELECT after ROLLBACK")
    expect_eq(q(a, "SELECT id, x FROM iso_abort ORDER BY id"), [(1, 0)], "rows after ROLLBACK")
    # COMMIT of a failed transaction rolls it back (command tag ROLLBACK, no error).
    q(a, "BEGIN")
    q(a, "UPDATE iso_abort SET x = 7")
    sqlstate_of(a, "SELECT * FROM iso_no_such_table")
    with a.cursor() as cur:
        cur.execute("COMMIT")
        expect_eq(cur.statusmessage, "ROLLBACK", "command tag of COMMIT in a failed transaction")
    expect_eq(q1(b, "SELECT x FROM iso_abort WHERE id = 1"), 0, "x after COMMIT of a failed transaction")


def test_lock_timeout(a, b):
    make_table(a, "iso_lockto", [(1, 0)])
    q(a, "BEGIN")
    q(a, "UPDATE iso_lockto SET x = 1 WHERE id = 1")
    q(b, "SET lock_timeout = '300ms'")
    t0 = time.time()
    w = run_sqlstate_async(b, "UPDATE iso_lockto SET x = 2 WHERE id = 1")
    state = w.result(10, "the UPDATE with lock_timeout")
    expect_eq(state, "55P03", "SQLSTATE after lock_timeout")
    expect(time.time() - t0 >= 0.25, "55P03 came before lock_timeout elapsed")
    q(b, "RESET lock_timeout")
    q(a, "COMMIT")
    expect_eq(q1(b, "SELECT x FROM iso_lockto WHERE id = 1"), 1, "x")


def test_create_index_during_writes(a, b, primary_key=True):
    """CREATE INDEX while other sessions insert, update and delete (in
    transactions that span the build): afterwards the index holds exactly
    the rows a scan finds, value by value. Tessera's build can lose a
    deadlock against such a writer (40P01; PostgreSQL makes the writers wait
    instead), so a build or a writer transaction that gets 40P01 is retried:
    what must never happen is an acknowledged row missing from the index.
    Without a primary key (hidden row ids) an insert after a transaction's
    first one in the table takes no row lock: the first one's lock must
    still hold the build back."""
    q(a, "DROP TABLE IF EXISTS iso_cidx")
    q(a, "CREATE TABLE iso_cidx (id integer%s, v integer)" % (" PRIMARY KEY" if primary_key else ""))
    q(a, "INSERT INTO iso_cidx SELECT g, g % 50 FROM generate_series(1, 3000) g")
    stop = threading.Event()
    errors = []

    def writer(i):
        conn = connect()
        try:
            next_id = 100000 * (i + 1)
            step = 0
            while not stop.is_set():
                step += 1
                # Each writer changes only its own existing rows (id % 3 == i).
                mine = lambda k: 3 * (k % 1000) + i + 1  # noqa: E731
                try:
                    q(conn, "BEGIN")
                    for _ in range(5):
                        q(conn, "INSERT INTO iso_cidx VALUES (%d, %d)" % (next_id, next_id % 50))
                        next_id += 1
                        if not primary_key:
                            time.sleep(0.005)  # inserts only, and open long: nothing else would lock
                    if primary_key:
                        q(conn, "UPDATE iso_cidx SET v = (v + 1) %% 50 WHERE id = %d" % mine(step))
                        q(conn, "DELETE FROM iso_cidx WHERE id = %d" % mine(step * 7 + 500))
                    time.sleep(0.02)  # the transaction stays open across the build's start
                    q(conn, "COMMIT")
                except psycopg2.Error as e:
                    if e.pgcode != "40P01":
                        raise
                    q(conn, "ROLLBACK")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    for attempt in range(5):
        state = sqlstate_of(b, "CREATE INDEX iso_cidx_v ON iso_cidx (v)")
        if state != "40P01":
            break
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(30)
    expect_eq(state, None, "SQLSTATE of CREATE INDEX")
    expect(not errors, "a writer failed: %s" % (errors[:1],))
    for v in (0, 3, 17, 49):
        by_index = q1(a, "SELECT count(*) FROM iso_cidx WHERE v = %d" % v)
        by_scan = q1(a, "SELECT count(*) FROM iso_cidx WHERE v + 0 = %d" % v)
        expect_eq(by_index, by_scan, "rows with v = %d through the index and through a scan" % v)
    q(a, "DROP TABLE iso_cidx")


CHILD = r"""
import sys, time, psycopg2
c = psycopg2.connect(host=sys.argv[1], port=sys.argv[2], user=sys.argv[3], dbname=sys.argv[4])
c.autocommit = True
cur = c.cursor()
cur.execute("BEGIN")
cur.execute("INSERT INTO iso_drop VALUES (2, 2)")
cur.execute("UPDATE iso_drop SET x = 1 WHERE id = 1")
print("ready", flush=True)
time.sleep(60)
"""


def test_dropped_connection(a, b):
    make_table(a, "iso_drop", [(1, 0)])
    child = subprocess.Popen([sys.executable, "-c", CHILD, HOST, PORT, USER, DB],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = Async(child.stdout.readline).result(10, "the child session")
        expect_eq(line.strip(), "ready", "child session output")
        expect_eq(q(b, "SELECT id, x FROM iso_drop ORDER BY id"), [(1, 0)], "rows while the child is open")
        child.send_signal(signal.SIGKILL)  # the connection drops without a Terminate message
        child.wait(5)
        # Its row lock must go away: this UPDATE may wait briefly until the server notices.
        w = run_sqlstate_async(b, "UPDATE iso_drop SET x = 5 WHERE id = 1")
        expect_eq(w.result(10, "an UPDATE of the row the dropped session had locked"), None, "SQLSTATE")
        expect_eq(q(a, "SELECT id, x FROM iso_drop ORDER BY id"), [(1, 5)], "rows after the drop")
        expect_eq(q1(a, "SELECT count(*) FROM iso_drop WHERE id = 2"), 0, "the dropped session's INSERT")
        q(a, "INSERT INTO iso_drop VALUES (2, 22)")  # its key is free again
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


# --- SELECT ... FOR UPDATE ------------------------------------------------------

def test_for_update_blocks_writers(a, b):
    make_table(a, "iso_fu", [(1, 10), (2, 20)])
    q(a, "BEGIN")
    expect_eq(q(a, "SELECT id, x FROM iso_fu WHERE id = 1 FOR UPDATE"), [(1, 10)], "rows locked")
    expect_eq(q(b, "SELECT x FROM iso_fu WHERE id = 1"), [(10,)], "a plain read of the locked row")
    expect_eq(q(b, "SELECT x FROM iso_fu WHERE id = 2 FOR UPDATE"), [(20,)], "FOR UPDATE of another row")
    w = run_sqlstate_async(b, "UPDATE iso_fu SET x = x + 1 WHERE id = 1")
    expect(w.blocked(), "an UPDATE of a row locked FOR UPDATE did not wait")
    q(a, "COMMIT")
    expect_eq(w.result(10, "the waiting UPDATE"), None, "SQLSTATE of the waiting UPDATE")
    # A second FOR UPDATE waits too; a ROLLBACK releases the lock.
    q(a, "BEGIN")
    q(a, "SELECT x FROM iso_fu FOR UPDATE")
    w = Async(lambda: q(b, "SELECT id, x FROM iso_fu WHERE id = 2 FOR UPDATE"))
    expect(w.blocked(), "a FOR UPDATE of a row locked FOR UPDATE did not wait")
    q(a, "ROLLBACK")
    expect_eq(w.result(10, "the waiting FOR UPDATE"), [(2, 20)], "rows of the waiting FOR UPDATE")
    # Outside a transaction block the locks last for the statement only.
    expect_eq(q(a, "SELECT x FROM iso_fu WHERE id = 1 FOR UPDATE"), [(11,)], "FOR UPDATE outside a block")
    w = run_sqlstate_async(b, "UPDATE iso_fu SET x = 12 WHERE id = 1")
    expect_eq(w.result(5, "an UPDATE after an autocommit FOR UPDATE"), None, "SQLSTATE")


def test_for_update_nowait(a, b):
    make_table(a, "iso_fu_nowait", [(1, 10), (2, 20)])
    q(a, "BEGIN")
    q(a, "SELECT * FROM iso_fu_nowait WHERE id = 1 FOR UPDATE")
    q(b, "BEGIN")
    try:
        q(b, "SELECT * FROM iso_fu_nowait WHERE id = 1 FOR UPDATE NOWAIT")
        raise Failure("FOR UPDATE NOWAIT of a locked row succeeded")
    except psycopg2.Error as e:
        expect_eq(e.pgcode, "55P03", "SQLSTATE of FOR UPDATE NOWAIT")
        expect_eq(e.diag.message_primary, 'could not obtain lock on row in relation "iso_fu_nowait"', "message")
    q(b, "ROLLBACK")
    expect_eq(q(b, "SELECT id FROM iso_fu_nowait WHERE id = 2 FOR UPDATE NOWAIT"), [(2,)], "NOWAIT of a free row")
    # NOWAIT also refuses a row an UPDATE holds.
    q(a, "UPDATE iso_fu_nowait SET x = 21 WHERE id = 2")
    expect_eq(sqlstate_of(b, "SELECT id FROM iso_fu_nowait FOR UPDATE NOWAIT"), "55P03", "NOWAIT of an updated row")
    q(a, "COMMIT")


def test_for_update_skip_locked(a, b):
    make_table(a, "iso_fu_skip", [(1, 0), (2, 0), (3, 0)])
    queue = "SELECT id FROM iso_fu_skip WHERE x = 0 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
    q(a, "BEGIN")
    q(b, "BEGIN")
    expect_eq(q(a, queue), [(1,)], "first worker's job")
    expect_eq(q(b, queue), [(2,)], "second worker's job: the first one is skipped")
    expect_eq(q(b, "SELECT id FROM iso_fu_skip ORDER BY id FOR UPDATE SKIP LOCKED"), [(2,), (3,)],
              "all rows not locked by others (a LIMIT holds only the rows it returns, on a cluster too)")
    q(a, "UPDATE iso_fu_skip SET x = 1 WHERE id = 1")
    q(a, "COMMIT")
    q(b, "COMMIT")
    expect_eq(q(a, queue), [(2,)], "the next job after the first is done")


def test_for_update_waiter_rereads(a, b):
    make_table(a, "iso_fu_epq", [(1, 10), (2, 10)])
    q(a, "BEGIN")
    q(a, "UPDATE iso_fu_epq SET x = 20 WHERE id = 1")
    w = Async(lambda: q(b, "SELECT id, x FROM iso_fu_epq WHERE id = 1 FOR UPDATE"))
    expect(w.blocked(), "FOR UPDATE of an updated row did not wait")
    q(a, "COMMIT")
    expect_eq(w.result(10, "the waiting FOR UPDATE"), [(1, 20)], "the waiter's row: the committed version")
    # The newest version is checked against the WHERE clause again.
    q(a, "BEGIN")
    q(a, "UPDATE iso_fu_epq SET x = 30 WHERE id = 2")
    q(a, "DELETE FROM iso_fu_epq WHERE id = 1")
    w = Async(lambda: q(b, "SELECT id, x FROM iso_fu_epq WHERE x >= 10 AND x < 30 ORDER BY id FOR UPDATE"))
    expect(w.blocked(), "FOR UPDATE of rows being changed did not wait")
    q(a, "COMMIT")
    expect_eq(w.result(10, "the re-checking FOR UPDATE"), [], "rows deleted or no longer matching")
    # REPEATABLE READ: a row changed after the snapshot is 40001.
    q(a, "INSERT INTO iso_fu_epq VALUES (3, 0)")
    q(b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
    q(b, "SELECT count(*) FROM iso_fu_epq")
    q(a, "UPDATE iso_fu_epq SET x = 1 WHERE id = 3")
    expect_eq(sqlstate_of(b, "SELECT * FROM iso_fu_epq WHERE id = 3 FOR UPDATE"), "40001",
              "REPEATABLE READ FOR UPDATE of a row changed since the snapshot")
    q(b, "ROLLBACK")
    # A FOR UPDATE that committed wrote nothing: a REPEATABLE READ writer
    # whose snapshot predates it has no conflict.
    q(b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
    q(b, "SELECT count(*) FROM iso_fu_epq")
    q(a, "SELECT * FROM iso_fu_epq WHERE id = 3 FOR UPDATE")
    expect_eq(sqlstate_of(b, "UPDATE iso_fu_epq SET x = 5 WHERE id = 3"), None, "UPDATE after another's FOR UPDATE")
    q(b, "COMMIT")


def test_for_update_timeouts_and_deadlock(a, b):
    make_table(a, "iso_fu_dead", [(1, 0), (2, 0)])
    q(a, "BEGIN")
    q(a, "SELECT * FROM iso_fu_dead WHERE id = 1 FOR UPDATE")
    q(b, "SET lock_timeout = '300ms'")
    expect_eq(sqlstate_of(b, "SELECT * FROM iso_fu_dead WHERE id = 1 FOR UPDATE"), "55P03", "after lock_timeout")
    q(b, "RESET lock_timeout")
    q(b, "SET statement_timeout = '300ms'")
    expect_eq(sqlstate_of(b, "SELECT * FROM iso_fu_dead FOR UPDATE"), "57014", "after statement_timeout")
    q(b, "RESET statement_timeout")
    q(b, "BEGIN")
    q(b, "SELECT * FROM iso_fu_dead WHERE id = 2 FOR UPDATE")
    wa = run_sqlstate_async(a, "SELECT * FROM iso_fu_dead WHERE id = 2 FOR UPDATE")
    expect(wa.blocked(), "the first crossing FOR UPDATE did not wait")
    wb = run_sqlstate_async(b, "SELECT * FROM iso_fu_dead WHERE id = 1 FOR UPDATE")
    states = sorted([str(wa.result(15, "session A's FOR UPDATE")), str(wb.result(15, "session B's FOR UPDATE"))])
    expect_eq(states, ["40P01", "None"], "SQLSTATEs of the two sessions (exactly one 40P01)")
    q(a, "ROLLBACK")
    q(b, "ROLLBACK")


def test_for_update_savepoint(a, b):
    make_table(a, "iso_fu_sp", [(1, 0), (2, 0)])
    q(a, "BEGIN")
    q(a, "SELECT * FROM iso_fu_sp WHERE id = 1 FOR UPDATE")
    q(a, "SAVEPOINT s")
    q(a, "SELECT * FROM iso_fu_sp WHERE id = 2 FOR UPDATE")
    q(a, "UPDATE iso_fu_sp SET x = 1 WHERE id = 1")
    q(a, "ROLLBACK TO SAVEPOINT s")
    # The lock taken after the savepoint is gone; the one before it stays.
    expect_eq(q(b, "SELECT id FROM iso_fu_sp FOR UPDATE SKIP LOCKED"), [(2,)], "rows not locked after ROLLBACK TO")
    q(a, "COMMIT")
    expect_eq(q(b, "SELECT id, x FROM iso_fu_sp ORDER BY id"), [(1, 0), (2, 0)], "rows after COMMIT")


def test_view_never_outlives_its_table(a, b):
    """One session creates a view in a block while another drops the view's
    table. PostgreSQL makes the DROP wait and then refuses it (2BP01);
    Tessera lets the DROP go on and fails the view's COMMIT (40001). Either
    way, afterwards the view exists only with its table."""
    q(a, "DROP VIEW IF EXISTS iso_view")
    make_table(a, "iso_view_t", [(1, 1)])
    q(a, "BEGIN")
    q(a, "CREATE VIEW iso_view AS SELECT id, x FROM iso_view_t")
    wb = run_sqlstate_async(b, "DROP TABLE iso_view_t")
    dropped_first = not wb.blocked(1.0)
    commit = sqlstate_of(a, "COMMIT")
    drop = wb.result(15, "the DROP TABLE")
    relations = [r[0] for r in q(a, "SELECT relname FROM pg_class WHERE relname IN ('iso_view', 'iso_view_t') "
                                     "ORDER BY relname")]
    if dropped_first:
        expect_eq((drop, commit), (None, "40001"), "DROP TABLE, then COMMIT of the view")
        expect_eq(relations, [], "relations left")
    else:
        expect_eq((commit, drop), (None, "2BP01"), "COMMIT of the view, then the waiting DROP TABLE")
        expect_eq(relations, ["iso_view", "iso_view_t"], "relations left")
        q(a, "DROP VIEW iso_view")
    q(a, "DROP TABLE IF EXISTS iso_view_t")


TESTS = [
    ("no_dirty_read", test_no_dirty_read),
    ("readers_do_not_block", test_readers_do_not_block),
    ("no_lost_updates_read_committed", test_no_lost_updates),
    ("read_committed_waits_and_rereads", test_rc_waits_and_rereads),
    ("read_committed_statement_snapshot", test_rc_statement_snapshot),
    ("repeatable_read_snapshot_stable", test_rr_snapshot_stable),
    ("repeatable_read_40001_after_commit", test_rr_conflict_committed),
    ("repeatable_read_40001_concurrent", test_rr_conflict_concurrent),
    ("deadlock_40P01_once", test_deadlock),
    ("unique_index_insert_waits_23505", test_unique_index_waits),
    ("failed_transaction_25P02", test_aborted_transaction),
    ("lock_timeout_55P03", test_lock_timeout),
    ("dropped_connection_rolls_back", test_dropped_connection),
    ("create_index_during_writes", test_create_index_during_writes),
    ("create_index_during_writes_without_primary_key",
     lambda a, b: test_create_index_during_writes(a, b, primary_key=False)),
    ("for_update_blocks_writers", test_for_update_blocks_writers),
    ("for_update_nowait_55P03", test_for_update_nowait),
    ("for_update_skip_locked", test_for_update_skip_locked),
    ("for_update_waiter_rereads", test_for_update_waiter_rereads),
    ("for_update_timeouts_and_deadlock", test_for_update_timeouts_and_deadlock),
    ("for_update_savepoint", test_for_update_savepoint),
    ("view_never_outlives_its_table", test_view_never_outlives_its_table),
] + FK_TESTS


def run_one(name, fn):
    conns = []
    result = {}

    def body():
        conns.extend([connect(), connect()])
        fn(*conns)

    t = Async(body)
    if not t.done.wait(TEST_TIMEOUT):
        print("FAIL concurrency %s: timed out after %.0f s" % (name, TEST_TIMEOUT), flush=True)
        return False  # the sessions stay open; the server will see them drop at exit
    try:
        if t.error is not None:
            raise t.error
        print("PASS concurrency %s" % name, flush=True)
        result["ok"] = True
    except Failure as e:
        print("FAIL concurrency %s: %s" % (name, e), flush=True)
    except psycopg2.Error as e:
        print("FAIL concurrency %s: unexpected error %s: %s" % (name, e.pgcode, str(e).strip().splitlines()[0]),
              flush=True)
    except Exception as e:  # noqa: BLE001
        print("FAIL concurrency %s: %s" % (name, "".join(traceback.format_exception_only(type(e), e)).strip()),
              flush=True)
    for c in conns:
        try:
            c.close()
        except Exception:  # noqa: BLE001
            pass
    return bool(result)


def main():
    ok = True
    for name, fn in TESTS:
        if ONLY and name not in ONLY:
            continue
        ok = run_one(name, fn) and ok
    sys.stdout.flush()
    os._exit(0 if ok else 1)  # abandoned (hung) sessions must not keep us alive


if __name__ == "__main__":
    main()
