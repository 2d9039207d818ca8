#!/usr/bin/env python3
"""psycopg2 smoke test: test_psycopg2.py HOST PORT USER DB

Prints "PASS psycopg2 <check>" or "FAIL psycopg2 <check>: <reason>" per check.
psycopg2 binds parameters on the client and sends simple-protocol queries (it
has no extended-protocol mode); the JDBC and node tests cover Parse/Bind.
"""
import datetime
import decimal
import sys

import psycopg2

NAME = "psycopg2"
failures = 0


def check(what, fn):
    global failures
    try:
        fn()
        print(f"PASS {NAME} {what}", flush=True)
        return True
    except Exception as e:  # any exception is this check's failure
        failures += 1
        reason = " ".join(str(e).split()) or type(e).__name__
        code = getattr(e, "pgcode", None)
        print(f"FAIL {NAME} {what}: {reason}" + (f" (SQLSTATE {code})" if code else ""), flush=True)
        return False


def expect(actual, wanted, what):
    if actual != wanted or type(actual) is not type(wanted):
        raise AssertionError(f"{what}: got {actual!r} ({type(actual).__name__}), want {wanted!r}")


def main():
    host, port, user, db = sys.argv[1:5]
    ca = sys.argv[5] if len(sys.argv) > 5 else None  # the server's CA: a TLS check too
    conn = None

    def connect():
        nonlocal conn
        conn = psycopg2.connect(host=host, port=port, user=user, dbname=db, connect_timeout=10)

    if not check("connect", connect):
        return
    ts = datetime.datetime(2024, 1, 2, 3, 4, 5, 678000)

    def create():
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS drv_psycopg2")
            cur.execute(
                "CREATE TABLE drv_psycopg2 (id int PRIMARY KEY, name text, amount numeric(10,2), "
                "flag boolean, ts timestamp, note text)"
            )

    def insert():
        with conn.cursor() as cur:
            sql = "INSERT INTO drv_psycopg2 VALUES (%s, %s, %s, %s, %s, %s)"
            cur.execute(sql, (1, "alpha", decimal.Decimal("12.34"), True, ts, None))
            cur.execute(sql, (2, "it's \"quoted\"", decimal.Decimal("-5.50"), False, ts, "x"))
            expect(cur.rowcount, 1, "rowcount")

    def select():
        with conn.cursor() as cur:
            cur.execute("SELECT id, name, amount, flag, ts, note FROM drv_psycopg2 WHERE id = %s", (1,))
            row = cur.fetchone()
            if row is None:
                raise AssertionError("no row")
            expect(row[0], 1, "int")
            expect(row[1], "alpha", "text")
            expect(row[2], decimal.Decimal("12.34"), "numeric")
            expect(row[3], True, "bool")
            expect(row[4], ts, "timestamp")
            expect(row[5], None, "NULL")
            cur.execute("SELECT name, amount, flag FROM drv_psycopg2 WHERE id = %s", (2,))
            expect(cur.fetchone(), ("it's \"quoted\"", decimal.Decimal("-5.50"), False), "row 2")

    def rollback():
        conn.autocommit = False  # psycopg2 sends BEGIN before the first statement
        with conn.cursor() as cur:
            cur.execute("INSERT INTO drv_psycopg2 (id, name) VALUES (%s, %s)", (3, "gone"))
            cur.execute("SELECT count(*) FROM drv_psycopg2")
            expect(cur.fetchone()[0], 3, "count inside the transaction")
        conn.rollback()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM drv_psycopg2")
            expect(cur.fetchone()[0], 2, "count after ROLLBACK")

    def sqlstate():
        with conn.cursor() as cur:
            try:
                cur.execute("INSERT INTO drv_psycopg2 (id, name) VALUES (%s, %s)", (1, "dup"))
            except psycopg2.Error as e:
                expect(e.pgcode, "23505", "SQLSTATE of a duplicate key")
            else:
                raise AssertionError("duplicate key was accepted")
            cur.execute("SELECT 1")  # the session is still usable
            expect(cur.fetchone()[0], 1, "SELECT 1 after the error")

    def savepoint():
        # What Django's nested atomic() and SQLAlchemy's begin_nested() send:
        # a failed statement inside a savepoint is undone by ROLLBACK TO, and
        # the transaction commits the rest.
        conn.autocommit = False
        with conn.cursor() as cur:
            cur.execute("INSERT INTO drv_psycopg2 (id, name) VALUES (%s, %s)", (10, "before"))
            cur.execute("SAVEPOINT s1")
            try:
                cur.execute("INSERT INTO drv_psycopg2 (id, name) VALUES (%s, %s)", (1, "dup"))
            except psycopg2.Error as e:
                expect(e.pgcode, "23505", "SQLSTATE of the duplicate inside the savepoint")
            else:
                raise AssertionError("duplicate key was accepted")
            try:
                cur.execute("SELECT 1")
            except psycopg2.Error as e:
                expect(e.pgcode, "25P02", "SQLSTATE of a statement in the failed block")
            else:
                raise AssertionError("the failed block ran a statement")
            cur.execute("ROLLBACK TO SAVEPOINT s1")
            cur.execute("INSERT INTO drv_psycopg2 (id, name) VALUES (%s, %s)", (11, "after"))
            cur.execute("RELEASE SAVEPOINT s1")
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT id, name FROM drv_psycopg2 WHERE id >= 10 ORDER BY id")
            expect(cur.fetchall(), [(10, "before"), (11, "after")], "rows after COMMIT")
            cur.execute("DELETE FROM drv_psycopg2 WHERE id >= 10")

    def for_update():
        # A job-queue transaction as Django's select_for_update(skip_locked=True)
        # sends it: a second connection skips the row the first one holds,
        # and NOWAIT fails on it with 55P03.
        other = psycopg2.connect(host=host, port=port, user=user, dbname=db, connect_timeout=10)
        try:
            conn.autocommit = False
            other.autocommit = False
            sql = "SELECT id FROM drv_psycopg2 WHERE id >= %s ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
            with conn.cursor() as cur, other.cursor() as cur2:
                cur.execute(sql, (1,))
                expect(cur.fetchall(), [(1,)], "the first connection's row")
                cur2.execute(sql, (1,))
                expect(cur2.fetchall(), [(2,)], "the second connection's row")
                try:
                    cur2.execute("SELECT id FROM drv_psycopg2 WHERE id = %s FOR UPDATE NOWAIT", (1,))
                except psycopg2.Error as e:
                    expect(e.pgcode, "55P03", "SQLSTATE of NOWAIT on a locked row")
                else:
                    raise AssertionError("NOWAIT locked a row another transaction holds")
            other.rollback()
            conn.commit()
        finally:
            conn.autocommit = True
            other.close()

    def tls_verify_full():
        tls = psycopg2.connect(host=host, port=port, user=user, dbname=db, connect_timeout=10,
                               sslmode="verify-full", sslrootcert=ca)
        cur = tls.cursor()
        cur.execute("SHOW ssl")
        expect(cur.fetchone()[0], "on", "SHOW ssl")
        cur.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = %s", (tls.get_backend_pid(),))
        expect(cur.fetchone(), (True,), "pg_stat_ssl of this session")
        tls.close()

    def arrays():
        # psycopg2 sends a list as ARRAY[...] (an empty one as '{}') and reads
        # int4[]/text[] results back into lists.
        with conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS drv_psycopg2_arr")
            cur.execute("CREATE TABLE drv_psycopg2_arr (id int PRIMARY KEY, nums int[], words text[])")
            cur.execute("INSERT INTO drv_psycopg2_arr VALUES (%s, %s, %s)", (1, [1, 2, None], ["a", "b c", 'q"x']))
            cur.execute("INSERT INTO drv_psycopg2_arr VALUES (%s, %s, %s)", (2, [], []))
            cur.execute("SELECT nums, words FROM drv_psycopg2_arr WHERE id = %s", (1,))
            expect(cur.fetchone(), ([1, 2, None], ["a", "b c", 'q"x']), "int[] and text[] as lists")
            cur.execute("SELECT nums, words FROM drv_psycopg2_arr WHERE id = %s", (2,))
            expect(cur.fetchone(), ([], []), "empty arrays")
            cur.execute("SELECT id FROM drv_psycopg2_arr WHERE id = ANY(%s) ORDER BY id", ([2, 3],))
            expect(cur.fetchall(), [(2,)], "= ANY(list)")
            cur.execute("SELECT %s::text[]", (["x", None],))
            expect(cur.fetchone()[0], ["x", None], "a list parameter round trip")
            cur.execute("DROP TABLE drv_psycopg2_arr")

    checks = [] if ca is None else [("tls verify-full", tls_verify_full)]
    for what, fn in checks + [("create table", create), ("insert with parameters", insert),
                     ("select typed values", select), ("transaction rollback", rollback),
                     ("sqlstate 23505", sqlstate), ("savepoint recovers a failed statement", savepoint),
                     ("select for update skip locked", for_update), ("arrays as lists", arrays)]:
        check(what, fn)
    conn.close()


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
