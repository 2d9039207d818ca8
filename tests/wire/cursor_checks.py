"""Server-side cursors as the Python drivers use them (SQL DECLARE, FETCH,
MOVE and CLOSE), for test_wire.py: each check returns what it saw, which
test_wire.py compares with PostgreSQL 15's run of the same check.

- psycopg2's named cursors send DECLARE "c" CURSOR WITHOUT HOLD FOR ... and
  FETCH FORWARD itersize FROM "c" as simple queries;
- psycopg 3's server-side cursors send the DECLARE through the extended
  protocol with the query's parameters bound, Describe the portal named by
  the cursor to learn its columns, then FETCH FORWARD n (text or binary
  results) and MOVE, each through Parse/Bind/Describe/Execute;
- a BINARY cursor's FETCH in a simple query returns binary rows.
"""

HOST = "127.0.0.1"
ROWS = 2500  # more than psycopg2's default itersize (2000): two FETCHes and an empty one


def _expect(cond, what):
    if not cond:
        raise AssertionError(what)


def _setup(conn, table):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS %s" % table)
    cur.execute("CREATE TABLE %s (id integer PRIMARY KEY, v text)" % table)
    cur.execute("INSERT INTO %s SELECT g, 'v' || g FROM generate_series(1, %d) AS g" % (table, ROWS))
    conn.commit()


def psycopg2_named_cursor(port):
    """psycopg2 named cursors: iteration in itersize batches, fetchmany and
    fetchone mixed, a SCROLL cursor's scroll() (MOVE) both ways, the tags,
    the cursor gone after COMMIT, and a WITH HOLD cursor declared in
    autocommit mode (as Django's iterator() does) read after its COMMIT."""
    import psycopg2
    out = []
    conn = psycopg2.connect(host=HOST, port=port, user="tessera", dbname="tessera", connect_timeout=10)
    try:
        _setup(conn, "wire_cur2")
        cur = conn.cursor(name="c2")
        cur.itersize = 1000
        cur.execute("SELECT id, v FROM wire_cur2 WHERE id > %s ORDER BY id", (10,))
        out.append(cur.fetchmany(3))
        out.append(cur.statusmessage)
        out.append(cur.fetchone())
        rows = list(cur)  # FETCH FORWARD 1000 until a short batch
        out.append((len(rows), rows[0], rows[-1], sum(r[0] for r in rows)))
        _expect(len(rows) == ROWS - 14, "iteration after fetchmany and fetchone: %d rows" % len(rows))
        out.append(cur.fetchall())
        cur.close()
        scroll = conn.cursor(name="s2", scrollable=True)
        scroll.execute("SELECT id FROM wire_cur2 WHERE id <= 20 ORDER BY id")
        out.append(scroll.fetchmany(5))
        scroll.scroll(-3)
        out.append((scroll.statusmessage, scroll.fetchone()))
        scroll.scroll(10, mode="absolute")
        out.append((scroll.statusmessage, scroll.fetchone()))
        scroll.scroll(100)
        out.append((scroll.statusmessage, scroll.fetchall()))
        scroll.scroll(0, mode="absolute")
        out.append(scroll.fetchmany(2))
        conn.commit()
        other = conn.cursor()
        try:
            other.execute('FETCH 1 FROM "s2"')
            out.append("no error")
        except psycopg2.Error as e:
            out.append(e.pgcode)
        conn.rollback()
        # Django's iterator() in autocommit mode: a WITH HOLD cursor, read after its COMMIT
        conn.autocommit = True
        held = conn.cursor(name="h2", withhold=True)
        held.itersize = 900
        held.execute("SELECT id FROM wire_cur2 WHERE id % 3 = 0 ORDER BY id")
        rows = [r[0] for r in held]
        out.append((len(rows), rows[:3], rows[-1], held.statusmessage))
        _expect(len(rows) == ROWS // 3, "WITH HOLD iteration: %d rows" % len(rows))
        held.close()
        other.execute("DROP TABLE wire_cur2")
    finally:
        conn.close()
    return out


def psycopg3_server_cursor(port):
    """psycopg 3 server-side cursors: DECLARE with a bound parameter through
    the extended protocol, the portal's description, fetchmany/fetchone and
    iteration (FETCH FORWARD n via Parse/Bind/Describe/Execute), binary
    results, scroll() of a SCROLL cursor, pg_cursors and pg_prepared_statements
    read through a server-side prepared statement, and FETCH after COMMIT
    (34000)."""
    import psycopg
    out = []
    with psycopg.connect(host=HOST, port=port, user="tessera", dbname="tessera", connect_timeout=10) as conn:
        _setup(conn, "wire_cur3")
        with conn.cursor(name="c3") as cur:
            cur.itersize = 700
            cur.execute("SELECT id, v FROM wire_cur3 WHERE id > %s ORDER BY id", [100])
            out.append([d.name for d in cur.description])
            out.append(cur.fetchmany(4))
            out.append(cur.fetchone())
            rows = list(cur)
            out.append((len(rows), rows[0], rows[-1]))
            _expect(len(rows) == ROWS - 105, "iteration: %d rows" % len(rows))
            out.append(cur.fetchall())
        with conn.cursor(name="b3", binary=True) as cur:
            cur.execute("SELECT id, v, id * 2 AS twice FROM wire_cur3 WHERE id <= %s ORDER BY id", [3])
            out.append(cur.fetchall())
        with conn.cursor(name="s3", scrollable=True) as cur:
            cur.execute("SELECT id FROM wire_cur3 WHERE id <= 50 ORDER BY id")
            out.append(cur.fetchmany(10))
            cur.scroll(-4)
            out.append(cur.fetchone())
            cur.scroll(20, mode="absolute")
            out.append(cur.fetchone())
        cur = conn.cursor(name="gone3")
        cur.execute("SELECT id FROM wire_cur3 ORDER BY id")
        out.append(cur.fetchone())
        # pg_cursors through a statement prepared on the server: rows as of each run
        # (PostgreSQL lists the protocol's unnamed portal as "", Tessera does not)
        plain = conn.cursor()
        for i in range(2):
            plain.execute("SELECT name FROM pg_cursors WHERE name <> %s ORDER BY name", [""], prepare=True)
            out.append(plain.fetchall())
            if i == 0:
                conn.execute("DECLARE more3 SCROLL CURSOR FOR SELECT 1")
        plain.execute("SELECT name, statement, from_sql FROM pg_prepared_statements ORDER BY name")
        out.append(plain.fetchall())
        conn.commit()
        try:
            cur.fetchone()
            out.append("no error")
        except psycopg.Error as e:
            out.append(e.sqlstate)
        conn.rollback()
        conn.execute("DROP TABLE wire_cur3")
        conn.commit()
    return out


def binary_cursor_fetch(port):
    """A BINARY cursor: a simple-query FETCH sends RowDescription with format
    1 and binary DataRows (int4, int8, text, bool, NULL); MOVE sends none; the
    next statement of the same query string is text again."""
    from pgwire_raw import RawSession

    s = RawSession(HOST, port, "tessera", "tessera", timeout=30)
    out = []
    try:
        s.query("BEGIN")
        s.query("DECLARE b BINARY CURSOR FOR SELECT g, g::int8 * 1000000000, 'v' || g, g % 2 = 0, "
                "NULLIF(g, 2) FROM generate_series(1, 3) AS g")
        for sql in ["FETCH 2 FROM b", "MOVE 1 IN b; FETCH 1 FROM b; SELECT 7 AS seven"]:
            for kind, body in s.query(sql):
                if kind == b"T":
                    count = int.from_bytes(body[:2], "big")
                    pos, formats = 2, []
                    for _ in range(count):
                        pos = body.index(b"\0", pos) + 1
                        formats.append(int.from_bytes(body[pos + 16:pos + 18], "big"))
                        pos += 18
                    out.append(("T", formats))
                elif kind in (b"D", b"C", b"E", b"Z"):
                    out.append((kind.decode(), bytes(body)))
        _expect(out[0] == ("T", [1, 1, 1, 1, 1]), "binary RowDescription: %r" % (out[0],))
        s.query("ROLLBACK")
    finally:
        s.close()
    return out


CHECKS = [psycopg2_named_cursor, psycopg3_server_cursor, binary_cursor_fetch]
