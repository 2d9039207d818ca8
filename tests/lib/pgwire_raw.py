"""Raw PostgreSQL protocol 3.0 sessions for tests that a driver would not let
run: a statement left half way through (COPY, an unread result), a message
of a size no driver sends, a pipelined batch with no Sync.

    from pgwire_raw import RawSession
    s = RawSession(host, port, user, db)         # startup, up to ReadyForQuery
    s.parse("SELECT $1::int", [23]); s.bind([b"1"]); s.execute()
    messages = s.sync()                          # [(b"1", body), ..., (b"Z", b"I")]
    fields(messages[2][1])["C"]                  # an ErrorResponse's SQLSTATE

Trust authentication only: the startup expects AuthenticationOk at once.
Messages are (type, body) pairs, type a one-byte bytes (b"E"), body without
the length. Used by tests/overload, tests/limits and tests/wire.
"""
import socket
import struct
import time

PROTOCOL_3_0 = 196608


def startup_packet(user, db):
    params = b"user\0" + user.encode() + b"\0database\0" + db.encode() + b"\0\0"
    return struct.pack("!ii", 8 + len(params), PROTOCOL_3_0) + params


def message(kind, body=b""):
    """One frontend message: type byte, length, body."""
    return kind + struct.pack("!i", 4 + len(body)) + body


def fields(body):
    """An ErrorResponse's or NoticeResponse's fields: {"S": "ERROR", "C": "22012", ...}."""
    out = {}
    for part in body.split(b"\0"):
        if part:
            out[chr(part[0])] = part[1:].decode(errors="replace")
    return out


def errors(messages):
    return [fields(b) for k, b in messages if k == b"E"]


def data_row(body):
    """A DataRow's values as text (None for NULL)."""
    n = struct.unpack("!h", body[:2])[0]
    pos, row = 2, []
    for _ in range(n):
        length = struct.unpack("!i", body[pos:pos + 4])[0]
        pos += 4
        row.append(None if length < 0 else body[pos:pos + length].decode(errors="replace"))
        pos += max(length, 0)
    return row


def data_rows(messages):
    return [data_row(b) for k, b in messages if k == b"D"]


class RawSession:
    """A socket speaking the protocol, with the bytes read past the last
    message kept for the next read.

    ready=False sends the startup packet without reading its answer (the
    caller may pipeline a query behind it); rcvbuf shrinks the socket's
    receive buffer (a client that reads slowly)."""

    def __init__(self, host, port, user="tessera", db="tessera", ready=True, rcvbuf=None, timeout=30):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.buf = b""
        self.sock.sendall(startup_packet(user, db))
        if ready:
            messages = self.read_until(b"Z")
            if not messages or messages[-1][0] != b"Z":
                raise EOFError("no ReadyForQuery after the startup: %r" % messages)

    # --- sending -------------------------------------------------------------

    def sendall(self, data):
        self.sock.sendall(data)

    def send(self, kind, body=b""):
        self.sock.sendall(message(kind, body))

    def parse(self, sql, oids=(), name=b""):
        body = name + b"\0" + sql.encode() + b"\0" + struct.pack("!H", len(oids))
        body += b"".join(struct.pack("!I", o) for o in oids)
        self.send(b"P", body)

    def bind(self, params, statement=b"", portal=b""):
        """Text parameters (bytes, or None for NULL); the count goes out
        unsigned, as drivers send it."""
        body = portal + b"\0" + statement + b"\0" + struct.pack("!H", 0) + struct.pack("!H", len(params))
        body += b"".join(struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p for p in params)
        body += struct.pack("!H", 0)
        self.send(b"B", body)

    def describe_portal(self, portal=b""):
        self.send(b"D", b"P" + portal + b"\0")

    def execute(self, portal=b"", max_rows=0):
        self.send(b"E", portal + b"\0" + struct.pack("!i", max_rows))

    def flush(self):
        self.send(b"H")

    def sync(self):
        """Sends Sync; the messages up to its ReadyForQuery."""
        self.send(b"S")
        return self.read_until(b"Z")

    def query(self, sql):
        """A simple query (str or bytes); its messages up to ReadyForQuery."""
        self.send(b"Q", (sql if isinstance(sql, bytes) else sql.encode()) + b"\0")
        return self.read_until(b"Z")

    def close(self):
        try:
            self.send(b"X")
        except OSError:
            pass
        self.sock.close()

    # --- receiving -----------------------------------------------------------

    def recv(self, timeout=30.0):
        """The next message, or None at the end of the stream; socket.timeout
        when none arrives in `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 5:
                size = struct.unpack("!i", self.buf[1:5])[0]
                if len(self.buf) >= 1 + size:
                    kind, body = self.buf[:1], self.buf[5:1 + size]
                    self.buf = self.buf[1 + size:]
                    return kind, body
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no complete message within %.1f s" % timeout)
            self.sock.settimeout(left)
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return None
            self.buf += chunk

    def read_until(self, kinds, timeout=30.0):
        """The messages up to and including the first whose type is in
        `kinds` (b"Z", or b"EZ" for either), or up to the end of the stream
        (then the last one is not of those types). socket.timeout when the
        whole read takes longer than `timeout` seconds."""
        messages = []
        deadline = time.monotonic() + timeout
        while True:
            got = self.recv(max(deadline - time.monotonic(), 0.001))
            if got is None:
                return messages
            messages.append(got)
            if got[0] in [kinds[i:i + 1] for i in range(len(kinds))]:
                return messages
