#!/usr/bin/env python3
"""Protocol-level behaviour that pipelining drivers (pgjdbc, psycopg 3,
node-postgres) depend on, checked on Tessera and on PostgreSQL 15 in the
same run: each check sends the same raw messages to every server, makes its
own assertions on each, and compares each Tessera server's message sequence
(types, SQLSTATEs, severities, rows, tags, transaction status) with
PostgreSQL's.

    test_wire.py --pg PORT NAME=PORT [NAME=PORT ...] [CHECK ...]

NAME is a label for a Tessera server ("embedded", "cluster"). Every check
prints "PASS wire <check> <server>" or "FAIL wire <check> <server>: <why>",
PostgreSQL's own run included (server "postgresql": the reference must pass
the assertions too). Users tessera, database tessera, trust authentication.
"""
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pgwire_raw import RawSession, data_rows, errors, fields  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import activity_checks  # noqa: E402
import cursor_checks  # noqa: E402
import error_field_checks  # noqa: E402

HOST = "127.0.0.1"


class CheckFailed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise CheckFailed(what)


def codes(messages):
    return [e.get("C") for e in errors(messages)]


def norm(messages, error_text=False):
    """What is compared between servers: ParameterStatus, notices and
    BackendKeyData are left out (they differ by design); an error is its
    severity and SQLSTATE (and its text when `error_text`); a RowDescription
    its column names."""
    out = []
    for kind, body in messages:
        if kind in (b"S", b"N", b"K"):
            continue
        if kind == b"E":
            f = fields(body)
            out.append(("E", f.get("V", f.get("S")), f.get("C")) + ((f.get("M"),) if error_text else ()))
        elif kind == b"T":
            count = int.from_bytes(body[:2], "big")
            names, pos = [], 2
            for _ in range(count):
                end = body.index(b"\0", pos)
                names.append(body[pos:end].decode())
                pos = end + 1 + 18
            out.append(("T", tuple(names)))
        elif kind == b"D":
            out.append(("D",) + tuple(data_rows([(kind, body)])[0]))
        elif kind in (b"C", b"d", b"Z", b"H", b"G"):
            out.append((kind.decode(), body))
        else:
            out.append((kind.decode(),))
    return out


def session(port):
    return RawSession(HOST, port, "tessera", "tessera", timeout=30)


def fresh_table(s, name, columns="id integer PRIMARY KEY, v text"):
    s.query("DROP TABLE IF EXISTS %s" % name)
    expect(not errors(s.query("CREATE TABLE %s (%s)" % (name, columns))), "CREATE TABLE %s" % name)


# ---- COPY TO STDOUT ------------------------------------------------------------

def copy_to_one_copydata_per_row(port):
    """One CopyData per row, as PostgreSQL sends (psycopg 3's Copy.rows()
    reads a row per message)."""
    s = session(port)
    fresh_table(s, "wire_copy")
    s.query("INSERT INTO wire_copy VALUES (1, 'a'), (2, NULL), (3, 'c\td')")
    out = []
    for sql in ("COPY wire_copy TO STDOUT", "COPY wire_copy (v, id) TO STDOUT WITH (FORMAT csv)"):
        messages = s.query(sql)
        data = [b for k, b in messages if k == b"d"]
        expect(len(data) == 3 and all(d.count(b"\n") == 1 and d.endswith(b"\n") for d in data),
               "%s: CopyData messages %r" % (sql, data))
        # Rows come in no defined order (a cluster reads its shards in parallel).
        rest = [m for m in norm(messages) if m[0] != "d"]
        out += [sql, rest, sorted(data)]
    s.query("DROP TABLE wire_copy")
    s.close()
    return out


def copy_query_to_stdout(port):
    """COPY (query) TO STDOUT, text and CSV with a header; a query FROM
    is a syntax error, an unknown table 42P01."""
    s = session(port)
    fresh_table(s, "wire_copyq")
    s.query("INSERT INTO wire_copyq VALUES (1, 'a'), (2, NULL), (3, 'c,d')")
    out = []
    for sql in ("COPY (SELECT id, v FROM wire_copyq WHERE id >= 2 ORDER BY id DESC) TO STDOUT",
                "COPY (SELECT id * 10 AS ten, v FROM wire_copyq ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)",
                "COPY (SELECT count(*) AS n FROM wire_copyq) TO STDOUT",
                "COPY (WITH w AS (SELECT 5 AS x) SELECT x, 'y z' FROM w) TO STDOUT",
                "COPY (SELECT 1) FROM STDIN",
                "COPY (SELECT * FROM wire_copyq_missing) TO STDOUT"):
        messages = s.query(sql)
        out += [sql, norm(messages)]
    expect([b for k, b in s.query(out[0]) if k == b"d"] == [b"3\tc,d\n", b"2\t\\N\n"], "COPY (query) rows")
    expect(codes(s.query("COPY (SELECT 1) FROM STDIN")) == ["42601"], "COPY (query) FROM")
    # Many rows: the server batches its writes, never its messages.
    data = [b for k, b in s.query("COPY (SELECT g FROM generate_series(1, 10000) g) TO STDOUT") if k == b"d"]
    expect(data == [b"%d\n" % g for g in range(1, 10001)], "10,000 rows: %d CopyData messages" % len(data))
    s.query("DROP TABLE wire_copyq")
    s.close()
    return out


# ---- Bind ----------------------------------------------------------------------

def bind_many(s, n):
    s.parse("SELECT $1::int + $%d::int" % n, [23] * n)
    s.bind([b"1"] + [b"0"] * (n - 2) + [b"2"])
    s.execute()
    return s.sync()


def bind_up_to_65535_parameters(port):
    """A Bind's parameter count is unsigned 16-bit: 32,768 and 65,535
    parameters are taken (read as signed, they were refused as malformed)."""
    s = session(port)
    out = []
    for n in (32768, 65535):
        messages = bind_many(s, n)
        expect(not errors(messages), "%d parameters: %s" % (n, errors(messages)))
        expect(data_rows(messages) == [["3"]], "%d parameters: rows %s" % (n, data_rows(messages)))
        out += [n, norm(messages)]
    s.close()
    return out


def bind_wrong_parameter_count(port):
    """Too many or too few parameters: ERROR 08P01 with PostgreSQL's text,
    the rest of the batch skipped, and the session goes on after Sync (it
    was FATAL, closing the connection)."""
    s = session(port)
    out = []
    for values in ([b"1", b"2"], []):
        s.parse("SELECT $1::int")
        s.bind(values)
        s.execute()
        s.parse("SELECT 2")  # skipped: after an error everything up to Sync is
        s.bind([])
        s.execute()
        messages = s.sync()
        errs = errors(messages)
        expect(len(errs) == 1 and errs[0].get("C") == "08P01" and errs[0].get("S") == "ERROR",
               "%d parameters: errors %s" % (len(values), errs))
        expect(messages[-1] == (b"Z", b"I"), "%d parameters: ends with %r" % (len(values), messages[-1]))
        out += [norm(messages, error_text=True)]
    # In a transaction block the block fails, and stays usable for ROLLBACK.
    s.query("BEGIN")
    s.parse("SELECT $1::int")
    s.bind([])
    s.execute()
    messages = s.sync()
    expect(messages[-1] == (b"Z", b"E"), "in a block: ends with %r" % (messages[-1],))
    out += [norm(messages, error_text=True), norm(s.query("ROLLBACK"))]
    after = s.query("SELECT 7")
    expect(data_rows(after) == [["7"]], "the session after the errors: %r" % after)
    out.append(norm(after))
    s.close()
    return out


# ---- Flush after an error ------------------------------------------------------

def flush_after_error(port):
    """A client that sends Flush (no Sync) after its batch gets the error:
    pipelining drivers wait for it before deciding on Sync. Errors raised
    in Parse, Bind and Execute."""
    s = session(port)
    out = []
    batches = [
        # Not 1/0: PostgreSQL folds that when it plans, at Bind; this fails in Execute.
        ("execute", lambda: (s.parse("SELECT 1 / (g - 1) FROM generate_series(1, 2) g"), s.bind([]), s.execute())),
        ("parse", lambda: (s.parse("SELEC 1"), s.bind([]), s.execute())),
        ("bind", lambda: (s.parse("SELECT $1::int"), s.bind([b"x"]), s.execute())),
        ("bind count", lambda: (s.parse("SELECT $1::int"), s.bind([]), s.execute())),
    ]
    for name, send in batches:
        send()
        s.flush()
        try:
            messages = s.read_until(b"EZ", timeout=5)
        except socket.timeout:
            raise CheckFailed("%s: nothing within 5 s after Flush (%d bytes pending)" % (name, len(s.buf)))
        expect(messages and messages[-1][0] == b"E", "%s: got %r" % (name, messages))
        # Messages after the error are skipped up to Sync, Flush included.
        s.parse("SELECT 3")
        s.bind([])
        s.execute()
        s.flush()
        rest = s.sync()
        expect(rest == [(b"Z", b"I")], "%s: after Sync %r" % (name, rest))
        out += [name, norm(messages), norm(rest)]
    s.close()
    return out


def execute_with_row_limit(port):
    """pgjdbc's fetch size: Execute with a row limit sends PortalSuspended,
    and the next Execute of the portal goes on where it stopped, all in one
    pipelined batch before Sync; each Execute's tag counts its own rows."""
    s = session(port)
    s.parse("SELECT g FROM generate_series(1, 5) g")
    s.bind([])
    s.describe_portal()
    s.execute(max_rows=2)
    s.execute(max_rows=2)
    s.execute(max_rows=2)
    messages = s.sync()
    expect(data_rows(messages) == [[str(g)] for g in range(1, 6)], "rows %s" % data_rows(messages))
    expect([k for k, _ in messages].count(b"s") == 2, "PortalSuspended: %r" % [k for k, _ in messages])
    out = [norm(messages)]
    # Exactly max_rows left: suspended, and the next Execute sends "SELECT 0".
    s.parse("SELECT g FROM generate_series(1, 4) g")
    s.bind([])
    s.execute(max_rows=2)
    s.execute(max_rows=2)
    s.execute(max_rows=2)
    messages = s.sync()
    expect([k for k, _ in messages].count(b"s") == 2, "PortalSuspended at 4 rows: %r" % [k for k, _ in messages])
    out.append(norm(messages))
    s.close()
    return out


# ---- text checks, pgjdbc's autosave ----------------------------------------------

def bad_utf8_and_nul_are_22021(port):
    s = session(port)
    fresh_table(s, "wire_text", "v text")
    out = []
    for value in (b"a\x00b", b"\xff", b"\xc3\x28", b"\xed\xa0\x80"):
        s.parse("INSERT INTO wire_text VALUES ($1)", [25])
        s.bind([value])
        s.execute()
        messages = s.sync()
        expect(codes(messages) == ["22021"], "parameter %r: %s" % (value, errors(messages)))
        out.append(norm(messages))
    for literal in (b"INSERT INTO wire_text VALUES ('\xff')", b"INSERT INTO wire_text VALUES (E'a\\000')",
                    b"INSERT INTO wire_text VALUES (E'\\xc3\\x28')"):
        messages = s.query(literal)
        expect(codes(messages) == ["22021"], "literal %r: %s" % (literal, errors(messages)))
        out.append(norm(messages))
    s.parse("INSERT INTO wire_text VALUES ($1)", [25])
    s.bind(["é€😀".encode()])
    s.execute()
    expect(not errors(s.sync()), "valid UTF-8 refused")
    rows = data_rows(s.query("SELECT v FROM wire_text"))
    expect(rows == [["é€😀"]], "stored: %s" % rows)
    s.query("DROP TABLE wire_text")
    s.close()
    return out


def savepoint_rollback_to_in_extended_protocol(port):
    """pgjdbc's autosave: SAVEPOINT and ROLLBACK TO through
    Parse/Bind/Execute, the latter in the failed block ('E' -> 'T')."""
    s = session(port)
    fresh_table(s, "wire_sp", "id integer PRIMARY KEY")
    s.query("BEGIN")
    out = []

    def run(sql, params=()):
        s.parse(sql, [23] * len(params))
        s.bind([str(p).encode() for p in params])
        s.execute()
        messages = s.sync()
        out.append(norm(messages))
        return codes(messages), messages[-1][1]

    expect(run("INSERT INTO wire_sp VALUES ($1)", [1]) == ([], b"T"), "first insert")
    expect(run("SAVEPOINT PGJDBC_AUTOSAVE") == ([], b"T"), "SAVEPOINT")
    expect(run("INSERT INTO wire_sp VALUES ($1)", [1]) == (["23505"], b"E"), "duplicate key")
    expect(run("SELECT 1") == (["25P02"], b"E"), "statement in the failed block")
    expect(run("ROLLBACK TO SAVEPOINT PGJDBC_AUTOSAVE") == ([], b"T"), "ROLLBACK TO")
    expect(run("INSERT INTO wire_sp VALUES ($1)", [2]) == ([], b"T"), "insert after ROLLBACK TO")
    s.query("COMMIT")
    rows = data_rows(s.query("SELECT id FROM wire_sp ORDER BY id"))
    expect(rows == [["1"], ["2"]], "committed: %s" % rows)
    s.query("DROP TABLE wire_sp")
    s.close()
    return out


# ---- psycopg 3 -------------------------------------------------------------------

def within(seconds, fn, what):
    """fn() on a thread; a CheckFailed if it does not return in time (a
    client waiting for a message the server never sends)."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            result["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    expect(not t.is_alive(), "%s: no answer within %d s" % (what, seconds))
    if "error" in result:
        raise result["error"]
    return result["value"]


def psycopg3(port):
    """psycopg 3 (server-side binding): Copy.rows() and read_row() of COPY
    TO STDOUT and COPY (query) TO STDOUT, 40,000 bound parameters, and a
    pipeline whose failing statement is fetched before its Sync (psycopg
    sends Flush and waits for the error)."""
    import psycopg
    out = []
    conn = psycopg.connect(host=HOST, port=port, user="tessera", dbname="tessera", autocommit=True,
                           connect_timeout=10)
    hung = False
    try:
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS wire_pg3")
        cur.execute("CREATE TABLE wire_pg3 (id integer PRIMARY KEY, v text)")
        cur.execute("INSERT INTO wire_pg3 VALUES (1, 'a'), (2, NULL), (3, 'c\td')")
        with cur.copy("COPY wire_pg3 TO STDOUT") as copy:
            rows = sorted(copy.rows())
        expect(rows == [("1", "a"), ("2", None), ("3", "c\td")], "Copy.rows(): %r" % rows)
        out.append(rows)
        with cur.copy("COPY (SELECT id, v FROM wire_pg3 ORDER BY id DESC) TO STDOUT") as copy:
            copy.set_types(["int4", "text"])
            rows = []
            while (row := copy.read_row()) is not None:
                rows.append(row)
        expect(rows == [(3, "c\td"), (2, None), (1, "a")], "read_row() with types: %r" % rows)
        out.append(rows)
        n = 40000  # a bulk INSERT as ORMs send it
        cur.execute("INSERT INTO wire_pg3 VALUES " + ", ".join(["(%s, NULL)"] * n), list(range(10, 10 + n)))
        cur.execute("SELECT count(*), sum(id) FROM wire_pg3 WHERE id >= 10")
        got = cur.fetchone()
        expect(got == (n, sum(range(10, 10 + n))), "40,000 parameters: %r" % (got,))
        out.append(got)

        def pipeline():
            with conn.pipeline():
                ok = conn.cursor()
                ok.execute("SELECT %s::int", [5])
                bad = conn.cursor()
                bad.execute("SELECT 1 / %s::int", [0])
                try:
                    bad.fetchone()  # Flush, then waits for the result before any Sync
                    return "no error"
                except psycopg.errors.DivisionByZero:
                    return "22012"

        hung = True  # until it returns: closing a connection a thread still waits on could block too
        got = within(10, pipeline, "a pipelined error fetched before Sync")
        hung = False
        expect(got == "22012", "pipeline: %s" % got)
        out.append(got)
        cur.execute("SELECT 41 + 1")
        expect(cur.fetchone()[0] == 42, "the connection after the pipeline")
        cur.execute("DROP TABLE wire_pg3")
    finally:
        if not hung:
            conn.close()
    return out


def psycopg3_int8_key_parameter(port):
    """A parameter typed int8 (pgjdbc's setLong; psycopg 3's Int8) against an
    int4 primary key, through Parse/Bind with its type declared and a
    server-side prepared statement run past psycopg's prepare threshold (a
    plan kept and run again with other values): the plan uses the key on
    every server (PostgreSQL: an index scan; Tessera: a point lookup or key
    range, on a cluster sent to the one group that holds the key), and an
    int8 beyond int4's range matches nothing instead of raising 22003."""
    import psycopg
    from psycopg.types.numeric import Int2, Int8
    out = []
    conn = psycopg.connect(host=HOST, port=port, user="tessera", dbname="tessera", autocommit=True,
                           connect_timeout=10)
    try:
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS wire_keys")
        cur.execute("CREATE TABLE wire_keys (k integer PRIMARY KEY, v text)")
        cur.execute("INSERT INTO wire_keys SELECT g, 'v' || g FROM generate_series(1, 2000) AS g")
        cur.execute("SELECT pg_typeof(%s)::text", [Int8(7)])
        expect(cur.fetchone()[0] == "bigint", "the parameter is typed int8")

        def plan(sql, params, keys=True):
            cur.execute("EXPLAIN " + sql, params, prepare=True)
            text = "\n".join(r[0] for r in cur.fetchall())
            expect("wire_keys_pkey" in text and "Seq Scan" not in text, "%s: no key in the plan:\n%s" % (sql, text))
            if keys and "Shards:" in text:  # a cluster: only the groups that hold the keys
                expect("Shards: all" not in text, "%s: sent to every group:\n%s" % (sql, text))
            return text

        point = "SELECT v FROM wire_keys WHERE k = %s"
        plan(point, [Int8(7)])
        plan(point, [Int2(7)])
        plan("SELECT v FROM wire_keys WHERE k > %s AND k <= %s", [Int8(5), Int8(9)], keys=False)
        plan("SELECT v FROM wire_keys WHERE k IN (%s, %s)", [Int8(5), Int8(3000000000)])
        plan("SELECT v FROM wire_keys WHERE k = ANY(%s)", [[5, 7]])  # a list is sent as one array
        plan("SELECT v FROM wire_keys WHERE k = ANY(%s)", [[Int8(5), Int8(3000000000)]])
        for value in [7, 8, 9, 10, 11, 12, 2000, 2001, 3000000000, -3000000000, 1]:
            cur.execute(point, [Int8(value)], prepare=True)
            out.append((value, cur.fetchall()))
        expect(out[0][1] == [("v7",)] and out[8][1] == [], "point lookups: %r" % out)
        for lo, hi in [(5, 9), (1998, 3000000000), (-3000000000, 2), (3000000000, 4000000000)]:
            cur.execute("SELECT k FROM wire_keys WHERE k > %s AND k <= %s ORDER BY k", [Int8(lo), Int8(hi)],
                        prepare=True)
            out.append((lo, hi, cur.fetchall()))
        cur.execute("SELECT k FROM wire_keys WHERE k IN (%s, %s, %s) ORDER BY k",
                    [Int8(5), Int8(3000000000), Int8(2000)], prepare=True)
        out.append(cur.fetchall())
        for values in ([5, 7, 7, None, 3000], [Int8(9), Int8(3000000000)]):
            cur.execute("SELECT v FROM wire_keys WHERE k = ANY(%s) ORDER BY k", [values], prepare=True)
            out.append((len(values), cur.fetchall()))
        cur.execute("DROP TABLE wire_keys")
    finally:
        conn.close()
    return out


def psycopg3_prepared_statements_after_ddl(port):
    """psycopg 3 prepares a query on the server once it has run it
    prepare_threshold times, and after DDL it sends DEALLOCATE ALL (its
    statements' plans may be stale): the next runs prepare again and work.
    Then the SQL forms on the same connection: PREPARE with and without
    types, EXECUTE with expressions as arguments, a driver's statement and
    a SQL one sharing one namespace, and their errors (42P05, 26000, 42601)."""
    import psycopg
    out = []
    with psycopg.connect(host=HOST, port=port, user="tessera", dbname="tessera", autocommit=True,
                         connect_timeout=10, prepare_threshold=1) as conn:
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS wire_prep")
        cur.execute("CREATE TABLE wire_prep (id integer PRIMARY KEY, v text)")
        for i in range(4):
            cur.execute("INSERT INTO wire_prep VALUES (%s, %s)", [i, "v%d" % i])
        cur.execute("ALTER TABLE wire_prep ADD COLUMN w integer")  # psycopg: DEALLOCATE ALL next
        for i in range(4, 8):
            cur.execute("INSERT INTO wire_prep VALUES (%s, %s, %s)", [i, "v%d" % i, i * 10])
        cur.execute("SELECT id, v, w FROM wire_prep WHERE id >= %s ORDER BY id", [3])
        out.append(cur.fetchall())
        cur.execute("DEALLOCATE ALL")
        cur.execute("PREPARE by_id (integer) AS SELECT v FROM wire_prep WHERE id = $1", prepare=False)
        cur.execute("EXECUTE by_id (2 + 3)", prepare=False)
        out.append(cur.fetchall())
        cur.execute("PREPARE upd AS UPDATE wire_prep SET w = $2 WHERE id <= $1", prepare=False)
        cur.execute("EXECUTE upd ('2', 7)", prepare=False)
        out.append(cur.statusmessage)
        cur.execute("SELECT id, w FROM wire_prep WHERE w = 7 ORDER BY id")
        out.append(cur.fetchall())
        for sql in ["PREPARE by_id AS SELECT 1", "EXECUTE nothing", "DEALLOCATE nothing", "EXECUTE by_id",
                    "EXECUTE by_id (1, 2)", "EXECUTE by_id ('x')"]:
            try:
                cur.execute(sql, prepare=False)
                out.append((sql, "no error"))
            except psycopg.Error as e:
                out.append((sql, e.sqlstate, str(e).splitlines()[0]))
        cur.execute("DEALLOCATE PREPARE by_id", prepare=False)
        out.append(cur.statusmessage)
        cur.execute("DEALLOCATE upd", prepare=False)
        cur.execute("DROP TABLE wire_prep")
    return out


def psycopg3_arrays(port):
    """Arrays with server-side binding, as ORMs send them: = ANY($1) with a
    list bound as an array parameter (text and binary), and int4[]/text[]
    results read back as lists in text and binary format."""
    import psycopg
    out = []
    with psycopg.connect(host=HOST, port=port, user="tessera", dbname="tessera", autocommit=True,
                         connect_timeout=10) as conn:
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS wire_arr")
        cur.execute("CREATE TABLE wire_arr (id integer PRIMARY KEY, name text, tags text[])")
        cur.execute("INSERT INTO wire_arr VALUES (%s, %s, %s), (%s, %s, %s), (%s, %s, %s)",
                    [1, "a", ["x", "y z"], 2, "b", [], 3, "c", None])
        for sql in ["SELECT id FROM wire_arr WHERE id = ANY(%s) ORDER BY id",
                    "SELECT id FROM wire_arr WHERE id = ANY(%b) ORDER BY id",
                    "SELECT id FROM wire_arr WHERE name = ANY(%s) ORDER BY id",
                    "SELECT id FROM wire_arr WHERE id <> ALL(%s) ORDER BY id"]:
            values = ["a", "c"] if "name" in sql else [1, 3, 70000]
            cur.execute(sql, [values])
            out.append(cur.fetchall())
        for binary in (False, True):
            bcur = conn.cursor(binary=binary)
            bcur.execute("SELECT id, tags, ARRAY[id, NULL] FROM wire_arr ORDER BY id")
            out.append(bcur.fetchall())
            bcur.execute("SELECT %s::int8[], %s::text[]", [[1, None, 3], ["a", "b"]])
            out.append(bcur.fetchall())
        expect(out[0] == [(1,), (3,)], "= ANY(int list): %r" % (out[0],))
        expect(out[4][0] == (1, ["x", "y z"], [1, None]), "text[] and int4[] results: %r" % (out[4],))
        cur.execute("DROP TABLE wire_arr")
    return out


CHECKS = [
    copy_to_one_copydata_per_row,
    copy_query_to_stdout,
    bind_up_to_65535_parameters,
    bind_wrong_parameter_count,
    flush_after_error,
    execute_with_row_limit,
    bad_utf8_and_nul_are_22021,
    savepoint_rollback_to_in_extended_protocol,
    psycopg3,
    psycopg3_int8_key_parameter,
    psycopg3_prepared_statements_after_ddl,
    psycopg3_arrays,
] + cursor_checks.CHECKS + activity_checks.CHECKS + error_field_checks.CHECKS


def run_on(check, port):
    try:
        return check(port), None
    except Exception as e:  # noqa: BLE001 - any failure is reported by name
        return None, "%s: %s" % (type(e).__name__, e)


def first_difference(want, got):
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            return "item %d: PostgreSQL %r, got %r" % (i, w, g)
    return "PostgreSQL has %d items, got %d" % (len(want), len(got))


def main():
    args = sys.argv[1:]
    pg_port, servers, only = None, [], []
    while args:
        a = args.pop(0)
        if a == "--pg":
            pg_port = int(args.pop(0))
        elif "=" in a:
            name, port = a.split("=", 1)
            servers.append((name, int(port)))
        else:
            only.append(a)
    failed = 0
    for check in CHECKS:
        if only and check.__name__ not in only:
            continue
        reference, why = run_on(check, pg_port)
        if why:
            failed += 1
            print("FAIL wire %s postgresql: %s" % (check.__name__, why))
        else:
            print("PASS wire %s postgresql" % check.__name__)
        for name, port in servers:
            got, why = run_on(check, port)
            if why is None and reference is not None and got != reference:
                why = "differs from PostgreSQL 15: " + first_difference(reference, got)
            if why:
                failed += 1
                print("FAIL wire %s %s: %s" % (check.__name__, name, why[:1500]))
            else:
                print("PASS wire %s %s" % (check.__name__, name))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
