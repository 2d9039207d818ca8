#!/usr/bin/env python3
"""Protocol-level checks a raw client sees (what pipelining drivers depend on).

    test_protocol.py HOST PORT USER DB

Prints "PASS protocol <check>" or "FAIL protocol <check>: <reason>" per check.
PostgreSQL 15 passes all of them.
"""
import socket
import struct
import sys

HOST, PORT, USER, DB = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


class Conn:
    def __init__(self):
        self.sock = socket.create_connection((HOST, PORT), timeout=10)
        self.buf = b""
        params = b"user\0" + USER.encode() + b"\0database\0" + DB.encode() + b"\0\0"
        body = struct.pack("!i", 196608) + params
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        self.until_ready()

    def send(self, kind, body=b""):
        self.sock.sendall(kind + struct.pack("!i", len(body) + 4) + body)

    def recv(self, timeout=10):
        """One message: (type, body)."""
        self.sock.settimeout(timeout)
        while True:
            if len(self.buf) >= 5:
                length = struct.unpack("!i", self.buf[1:5])[0]
                if len(self.buf) >= length + 1:
                    kind, body = self.buf[:1], self.buf[5:length + 1]
                    self.buf = self.buf[length + 1:]
                    return kind, body
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk

    def until_ready(self):
        messages = []
        while True:
            kind, body = self.recv()
            messages.append((kind, body))
            if kind == b"Z":
                return messages

    def query(self, sql):
        self.send(b"Q", sql + b"\0" if isinstance(sql, bytes) else sql.encode() + b"\0")
        return self.until_ready()

    def parse(self, sql, oids=()):
        body = b"\0" + sql.encode() + b"\0" + struct.pack("!H", len(oids))
        body += b"".join(struct.pack("!I", o) for o in oids)
        self.send(b"P", body)

    def bind(self, params):
        body = b"\0\0" + struct.pack("!H", 0) + struct.pack("!H", len(params))
        for p in params:
            body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
        body += struct.pack("!H", 0)
        self.send(b"B", body)

    def execute(self):
        self.send(b"E", b"\0" + struct.pack("!i", 0))

    def sync(self):
        self.send(b"S")
        return self.until_ready()

    def close(self):
        try:
            self.send(b"X")
        finally:
            self.sock.close()


def fields(body):
    out = {}
    for part in body.split(b"\0"):
        if part:
            out[chr(part[0])] = part[1:].decode(errors="replace")
    return out


def errors(messages):
    return [fields(b) for k, b in messages if k == b"E"]


def data_rows(messages):
    rows = []
    for k, b in messages:
        if k != b"D":
            continue
        n = struct.unpack("!h", b[:2])[0]
        pos, row = 2, []
        for _ in range(n):
            length = struct.unpack("!i", b[pos:pos + 4])[0]
            pos += 4
            row.append(None if length < 0 else b[pos:pos + length].decode())
            pos += max(length, 0)
        rows.append(row)
    return rows


failures = 0


def check(name, fn):
    global failures
    try:
        fn()
        print("PASS protocol %s" % name)
    except Exception as e:  # noqa: BLE001 - any failure is reported by name
        failures += 1
        print("FAIL protocol %s: %s" % (name, e))


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def bind_many_params():
    c = Conn()
    n = 40000  # above 32,767: the count is unsigned
    c.parse("SELECT $1::int + $%d::int" % n, [23] * n)
    c.bind([b"1"] + [b"0"] * (n - 2) + [b"2"])
    c.execute()
    messages = c.sync()
    expect(not errors(messages), "error: %s" % errors(messages))
    expect(data_rows(messages) == [["3"]], "rows: %s" % data_rows(messages))
    c.close()


def bind_wrong_count():
    c = Conn()
    c.parse("SELECT $1::int")
    c.bind([b"1", b"2"])
    c.execute()
    messages = c.sync()
    errs = errors(messages)
    expect(len(errs) == 1 and errs[0].get("C") == "08P01", "errors: %s" % errs)
    expect(errs[0].get("S") == "ERROR", "severity %s" % errs[0].get("S"))
    expect(data_rows(c.query("SELECT 7")) == [["7"]], "connection not usable after the error")
    c.close()


def flush_after_error():
    c = Conn()
    c.parse("SELECT 1/0")
    c.bind([])
    c.execute()
    c.send(b"H")
    kind, body = c.recv(timeout=5)
    while kind in (b"1", b"2"):
        kind, body = c.recv(timeout=5)
    expect(kind == b"E" and fields(body).get("C") == "22012", "got %s %s" % (kind, body[:60]))
    messages = c.sync()
    expect(messages[-1][0] == b"Z", "no ReadyForQuery after Sync")
    c.close()


def copy_out_one_message_per_row():
    c = Conn()
    c.query("DROP TABLE IF EXISTS proto_copy")
    c.query("CREATE TABLE proto_copy (id integer PRIMARY KEY, v text)")
    c.query("INSERT INTO proto_copy VALUES (1, 'a'), (2, NULL), (3, 'c')")
    messages = c.query("COPY proto_copy TO STDOUT")
    data = [b for k, b in messages if k == b"d"]
    expect(data == [b"1\ta\n", b"2\t\\N\n", b"3\tc\n"], "CopyData messages: %r" % data)
    c.query("DROP TABLE proto_copy")
    c.close()


def bad_text_is_22021():
    c = Conn()
    c.query("DROP TABLE IF EXISTS proto_text")
    c.query("CREATE TABLE proto_text (v text)")
    for value in (b"a\x00b", b"\xff", b"\xc3\x28", b"\xed\xa0\x80"):
        c.parse("INSERT INTO proto_text VALUES ($1)", [25])
        c.bind([value])
        c.execute()
        errs = errors(c.sync())
        expect(len(errs) == 1 and errs[0].get("C") == "22021", "parameter %r: %s" % (value, errs))
    for literal in (b"INSERT INTO proto_text VALUES ('\xff')", b"INSERT INTO proto_text VALUES (E'a\\000')",
                    b"INSERT INTO proto_text VALUES (E'\\xc3\\x28')"):
        errs = errors(c.query(literal))
        expect(len(errs) == 1 and errs[0].get("C") == "22021", "literal %r: %s" % (literal, errs))
    rows = data_rows(c.query("SELECT count(*) FROM proto_text"))
    expect(rows == [["0"]], "stored: %s" % rows)
    c.parse("INSERT INTO proto_text VALUES ($1)", [25])
    c.bind(["é€😀".encode()])
    c.execute()
    expect(not errors(c.sync()), "valid UTF-8 refused")
    expect(data_rows(c.query("SELECT v FROM proto_text")) == [["é€😀"]], "valid UTF-8 not stored")
    c.query("DROP TABLE proto_text")
    c.close()


def savepoint_extended():
    # pgjdbc's autosave: SAVEPOINT and ROLLBACK TO through Parse/Bind/Execute,
    # the latter in the failed block, which it brings back ('E' -> 'T').
    c = Conn()
    c.query("DROP TABLE IF EXISTS proto_sp")
    c.query("CREATE TABLE proto_sp (id integer PRIMARY KEY)")
    c.query("BEGIN")

    def run(sql, params=()):
        c.parse(sql, [23] * len(params))
        c.bind([str(p).encode() for p in params])
        c.execute()
        messages = c.sync()
        return errors(messages), messages[-1][1]

    expect(run("INSERT INTO proto_sp VALUES ($1)", [1]) == ([], b"T"), "first insert")
    expect(run("SAVEPOINT PGJDBC_AUTOSAVE") == ([], b"T"), "SAVEPOINT")
    errs, status = run("INSERT INTO proto_sp VALUES ($1)", [1])
    expect([e.get("C") for e in errs] == ["23505"] and status == b"E", "duplicate: %s %s" % (errs, status))
    errs, status = run("SELECT 1")
    expect([e.get("C") for e in errs] == ["25P02"] and status == b"E", "failed block: %s %s" % (errs, status))
    expect(run("ROLLBACK TO SAVEPOINT PGJDBC_AUTOSAVE") == ([], b"T"), "ROLLBACK TO")
    expect(run("INSERT INTO proto_sp VALUES ($1)", [2]) == ([], b"T"), "insert after ROLLBACK TO")
    c.query("COMMIT")
    rows = data_rows(c.query("SELECT id FROM proto_sp ORDER BY id"))
    expect(rows == [["1"], ["2"]], "committed: %s" % rows)
    c.query("DROP TABLE proto_sp")
    c.close()


check("bind_40000_parameters", bind_many_params)
check("bind_wrong_parameter_count_is_error", bind_wrong_count)
check("flush_after_error_sends_it", flush_after_error)
check("copy_to_one_copydata_per_row", copy_out_one_message_per_row)
check("bad_utf8_and_nul_are_22021", bad_text_is_22021)
check("savepoint_rollback_to_in_extended_protocol", savepoint_extended)
sys.exit(1 if failures else 0)
