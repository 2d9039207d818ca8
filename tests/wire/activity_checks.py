"""Sessions as other sessions see and signal them (pg_stat_activity,
pg_backend_pid, pg_cancel_backend, pg_terminate_backend), for test_wire.py:
each check returns what it saw, which test_wire.py compares with PostgreSQL
15's run of the same check.
"""
import time

HOST = "127.0.0.1"


def _connect(port, **kw):
    import psycopg2
    return psycopg2.connect(host=HOST, port=port, user="tessera", dbname="tessera", connect_timeout=10, **kw)


def _row(cur, pid):
    cur.execute("SELECT application_name, state, query, backend_type, xact_start IS NOT NULL, usename, datname, "
                "client_addr, client_port > 0, backend_start <= now() FROM pg_stat_activity WHERE pid = %s",
                (pid,))
    return cur.fetchall()


def _gone(cur, pid, limit=5.0):
    deadline = time.monotonic() + limit
    while True:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
        n = cur.fetchone()[0]
        if n == 0 or time.monotonic() > deadline:
            return n == 0
        time.sleep(0.05)


def session_activity_and_signals(port):
    """Session A (application_name set) runs a query inside a transaction;
    session B sees it "idle in transaction" with that query, then "idle"
    after COMMIT; B's pg_cancel_backend of idle A leaves A working; B's
    pg_terminate_backend ends A (57P01) and A leaves pg_stat_activity; a
    third session is terminated with a timeout; unknown pids give false."""
    import psycopg2
    out = []
    a = _connect(port, application_name="wire_app_a")
    b = _connect(port)
    b.autocommit = True
    try:
        ca, cb = a.cursor(), b.cursor()
        ca.execute("SELECT pg_backend_pid()")
        pid = ca.fetchone()[0]
        ca.execute("SELECT 41 + 1")
        out.append(_row(cb, pid))
        a.commit()
        out.append(_row(cb, pid))
        cb.execute("SELECT state, query FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        out.append(cb.fetchall())
        cb.execute("SELECT pg_cancel_backend(%s)", (pid,))
        out.append(cb.fetchall())
        time.sleep(0.2)
        ca.execute("SELECT 'still here'")
        out.append(ca.fetchall())
        a.commit()
        cb.execute("SELECT pg_terminate_backend(%s)", (pid,))
        out.append(cb.fetchall())
        try:
            time.sleep(0.2)
            ca.execute("SELECT 1")
            out.append(("A still answers", ca.fetchall()))
        except psycopg2.Error as e:
            out.append(("A ended", e.pgcode, "terminating connection due to administrator command" in str(e)))
        out.append(_gone(cb, pid))
        c = _connect(port)
        c.autocommit = True
        c.cursor().execute("SELECT 1")
        cc = c.cursor()
        cc.execute("SELECT pg_backend_pid()")
        c_pid = cc.fetchone()[0]
        cb.execute("SELECT pg_terminate_backend(%s, 5000)", (c_pid,))
        out.append(cb.fetchall())
        out.append(_gone(cb, c_pid, 0.5))
        cb.execute("SELECT pg_cancel_backend(0), pg_terminate_backend(0)")
        out.append(cb.fetchall())
    finally:
        for conn in (a, b):
            try:
                conn.close()
            except psycopg2.Error:
                pass
    return out


CHECKS = [session_activity_and_signals]
