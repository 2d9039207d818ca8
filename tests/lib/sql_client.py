"""psycopg2 helpers shared by the Python test suites (tests/concurrency,
tests/cluster): connections whose transactions are explicit BEGIN ... COMMIT,
and one-statement queries."""
import psycopg2


def connect(host, port, user, db, autocommit=True):
    c = psycopg2.connect(host=host, port=port, user=user, dbname=db, connect_timeout=10)
    c.autocommit = autocommit  # the tests write BEGIN ... COMMIT themselves
    return c


def q(conn, sql, args=None):
    """Runs one statement; returns its rows (or None)."""
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def q1(conn, sql, args=None):
    return q(conn, sql, args)[0][0]
