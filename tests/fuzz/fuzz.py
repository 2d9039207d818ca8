"""Throws random and mutated SQL and random protocol messages at a server for
a bounded time and checks that it stays alive and answering (issue 9).

    fuzz.py HOST PORT SECONDS [SEED]

SQL comes from the statements of tests/sql (their own files), mutated: tokens
dropped, repeated, swapped or replaced, the text cut short, nesting and
literals blown up, operator chains lengthened. Protocol messages are random
bytes, valid startups followed by random typed messages, and real messages
with their lengths and fields corrupted. After any connection that ends
abnormally the server must still accept a new session; at the end it must
answer a query. A failure prints the input that broke it (and the seed, so
`fuzz.py HOST PORT SECONDS SEED` replays the run).

Prints "PASS fuzz <part> ..." or "FAIL fuzz <part>: <reason>" lines.
"""
import glob
import os
import random
import socket
import struct
import sys
import time

import psycopg2

HOST, PORT, SECONDS = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else int(time.time())
rng = random.Random(SEED)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

KEYWORDS = ["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "NULL", "(", ")", ",", "JOIN", "ON", "GROUP BY",
            "ORDER BY", "LIMIT", "OFFSET", "UNION", "CASE", "WHEN", "THEN", "END", "CAST", "::", "||", "+", "-",
            "*", "/", "%", "=", "<>", "IN", "EXISTS", "BETWEEN", "LIKE", "IS", "DISTINCT", "COUNT(*)", "'x'",
            "2147483648", "-9223372036854775809", "1e400", "''", "$1", "'\\x00'", "E'\\\\'", "ARRAY", "[1]",
            "INSERT INTO", "VALUES", "UPDATE", "SET", "DELETE", "CREATE TABLE", "DROP TABLE", "BEGIN", "COMMIT",
            "ROLLBACK", "SAVEPOINT", "WITH", "RECURSIVE", "OVER", "PARTITION BY", "NULLIF", "COALESCE",
            "'2020-13-45'::date", "'nan'::numeric", "repeat('a', 1000000)", "generate_series(1, 1000000)"]


def load_corpus():
    statements = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "sql", "**", "*.test"), recursive=True)):
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        i = 0
        while i < len(lines):
            if lines[i].startswith("statement") or lines[i].startswith("query"):
                i += 1
                body = []
                while i < len(lines) and lines[i].strip() and lines[i] != "----":
                    body.append(lines[i])
                    i += 1
                if body:
                    statements.append("\n".join(body))
            i += 1
    return statements or ["SELECT 1"]


def tokens(sql):
    return sql.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split()


def mutate(sql):
    t = tokens(sql)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(10)
        if not t:
            t = [rng.choice(KEYWORDS)]
        i = rng.randrange(len(t))
        if len(t[i]) > 10000 or sum(len(x) for x in t) > 2000000:
            break  # big enough: blowing up a blown-up token again only costs the fuzzer memory
        if kind == 0:
            del t[i]
        elif kind == 1:
            t.insert(i, t[i])
        elif kind == 2:
            j = rng.randrange(len(t))
            t[i], t[j] = t[j], t[i]
        elif kind == 3:
            t[i] = rng.choice(KEYWORDS)
        elif kind == 4:
            t.insert(i, rng.choice(KEYWORDS))
        elif kind == 5:
            t = t[:i]
        elif kind == 6:  # deep nesting
            depth = rng.choice([10, 100, 1000, 3000])
            t[i] = "(" * depth + t[i] + ")" * depth
        elif kind == 7:  # a long chain of one operator
            op = rng.choice(["+", "OR", "AND", "||", "*", "-"])
            t[i] = (" %s " % op).join([t[i]] * rng.choice([10, 1000, 30000]))
        elif kind == 8:  # a long literal
            t[i] = "'" + "x" * rng.choice([100, 10000, 1000000]) + "'"
        else:  # a long IN list
            t.insert(i, "IN (" + ",".join(str(n) for n in range(rng.choice([10, 5000, 50000]))) + ")")
    return " ".join(t)


def server_answers():
    for _ in range(20):
        try:
            c = psycopg2.connect(host=HOST, port=PORT, user="tessera", dbname="tessera", connect_timeout=5)
            try:
                with c.cursor() as cur:
                    cur.execute("SELECT 1")
                    return cur.fetchone()[0] == 1
            finally:
                c.close()
        except psycopg2.Error:
            time.sleep(0.5)
    return False


def sql_session():
    c = psycopg2.connect(host=HOST, port=PORT, user="tessera", dbname="tessera", connect_timeout=10)
    c.autocommit = True
    with c.cursor() as cur:
        cur.execute("SET statement_timeout = '2s'")
    return c


def fuzz_sql(corpus, deadline):
    sent = errors = 0
    c = sql_session()
    while time.monotonic() < deadline:
        base = rng.choice(corpus)
        sql = mutate(base) if rng.random() < 0.85 else base
        try:
            with c.cursor() as cur:
                cur.execute(sql)
                if cur.description:
                    cur.fetchmany(100)
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
            if not server_answers():
                return "the server stopped answering after: %r (%s)" % (sql[:2000], e)
            c = sql_session()
        except psycopg2.Error:
            errors += 1
        sent += 1
    c.close()
    return sent, errors


def message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


def startup():
    params = b"user\x00tessera\x00database\x00tessera\x00\x00"
    body = struct.pack("!I", 196608) + params
    return struct.pack("!I", len(body) + 4) + body


def cstr(s):
    return s.encode() + b"\x00"


def random_message():
    kind = rng.randrange(9)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if kind == 1:  # a typed message with a lying length
        return rng.choice(b"QPBEDSHCXdcf").to_bytes(1, "big") + struct.pack("!I", rng.choice(
            [0, 3, 4, 5, 0x7fffffff, 0xffffffff, rng.randrange(1 << 31)])) + bytes(rng.randrange(256) for _ in range(8))
    if kind == 2:
        return message(b"Q", bytes(rng.randrange(1, 256) for _ in range(rng.randrange(64))) + b"\x00")
    if kind == 3:  # Parse with random parameter types
        n = rng.choice([0, 1, 5, 65535])
        body = cstr("s") + cstr("SELECT $1") + struct.pack("!H", n) + b"".join(
            struct.pack("!I", rng.choice([0, 23, 25, 1082, 0xffffffff])) for _ in range(min(n, 50)))
        return message(b"P", body)
    if kind == 4:  # Bind with counts that do not match
        n = rng.choice([0, 1, 2, 32768, 65535])
        body = cstr("") + cstr(rng.choice(["", "s", "nope"])) + struct.pack("!H", 1) + struct.pack("!H", 1)
        body += struct.pack("!H", n) + b"".join(struct.pack("!i", rng.choice([-1, 0, 4, 1 << 30])) + b"abcd"
                                                   for _ in range(min(n, 20)))
        body += struct.pack("!H", 0)
        return message(b"B", body)
    if kind == 5:
        return message(b"E", cstr(rng.choice(["", "p"])) + struct.pack("!i", rng.choice([0, -1, 1, 1 << 31 - 1])))
    if kind == 6:
        return message(b"d", bytes(rng.randrange(256) for _ in range(rng.randrange(32))))
    if kind == 7:
        return message(b"H", b"") if rng.random() < 0.5 else message(b"S", b"")
    return message(rng.choice([b"D", b"C", b"X", b"F", b"p"]), bytes(rng.randrange(256) for _ in range(16)))


def fuzz_protocol(deadline):
    sent = 0
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((HOST, PORT), timeout=5)
        except OSError as e:
            if not server_answers():
                return "the server stopped accepting connections (%s)" % e
            continue
        payload = b""
        try:
            if rng.random() < 0.8:
                payload += startup()
            for _ in range(rng.randrange(1, 12)):
                payload += random_message()
            s.sendall(payload)
            s.settimeout(0.5)
            try:
                while s.recv(65536):
                    pass
            except (socket.timeout, OSError):
                pass
        except OSError:
            pass
        finally:
            s.close()
        sent += 1
        if sent % 50 == 0 and not server_answers():
            return "the server stopped answering after: %r" % payload[:2000]
    return sent


def main():
    print("fuzz: seed %d, %.0f s" % (SEED, SECONDS), flush=True)
    corpus = load_corpus()
    failed = 0
    result = fuzz_sql(corpus, time.monotonic() + SECONDS * 0.6)
    if isinstance(result, str):
        print("FAIL fuzz sql: %s (seed %d)" % (result, SEED))
        failed += 1
    else:
        print("PASS fuzz sql (%d statements, %d refused with an error)" % result)
    result = fuzz_protocol(time.monotonic() + SECONDS * 0.4)
    if isinstance(result, str):
        print("FAIL fuzz protocol: %s (seed %d)" % (result, SEED))
        failed += 1
    else:
        print("PASS fuzz protocol (%d connections of random messages)" % result)
    if server_answers():
        print("PASS fuzz server answers at the end")
    else:
        print("FAIL fuzz server answers at the end: it does not (seed %d)" % SEED)
        failed += 1
    return 1 if failed else 0


sys.exit(main())
