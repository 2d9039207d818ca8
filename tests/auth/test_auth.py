#!/usr/bin/env python3
"""Client authentication (issue 13): pg_hba.conf rules, SCRAM-SHA-256 and
cleartext passwords, against Tessera and PostgreSQL 15 configured alike.

    test_auth.py TESSERA_BINARY [PG_BIN_DIR]

For each server the test starts its own instance on a free loopback port:
  1. without rules (Tessera: trust for loopback clients; PostgreSQL: initdb
     --auth=trust), the superuser creates the roles and sets passwords;
  2. restarted (Tessera: `tessera start --hba FILE`; PostgreSQL: the same
     FILE as its pg_hba.conf, password_encryption = scram-sha-256), every
     connection on 127.0.0.1 must now pass the rules of FILE (below).
Then the same checks run against both: psql and psycopg2 connect with the
right password, and a small protocol client (SCRAM written here from RFC
5802, independent of the server's code) reads each refusal's SQLSTATE and
message from the ErrorResponse: 28P01 for a wrong password or a role that
does not exist, 28000 for a role no rule admits, a `reject` rule and a role
that may not log in. Messages must match PostgreSQL's word for word (the
server's name for the superuser aside).

Then TLS (tls_checks.py): both servers again with a certificate, key and CA
(PostgreSQL: ssl = on), checked over TLS with psql, psycopg2 and the
protocol client (hostssl, hostnossl, cert, SHOW ssl, pg_stat_ssl).

Every check prints "PASS auth <name>" or "FAIL auth <name>: <reason>"; the
last line is "auth total: P passed, F failed".
"""
import base64
import hashlib
import hmac
import os
import pwd
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from free_ports import free_port  # noqa: E402
import tls_checks  # noqa: E402  (tests/auth/tls_checks.py)

import psycopg2  # noqa: E402

PASSWORD = "s3cret pass"
HBA = """# Rules of the auth test (the same file serves Tessera and PostgreSQL 15).
local     all  all                        trust
host      all  mallory     127.0.0.1/32   reject
hostnossl all  carol       127.0.0.1/32   password
host      all  "{admin}",alice,nologin,ghost  127.0.0.1/32   scram-sha-256
host      all  all         ::1/128        scram-sha-256
hostssl   all  bob         0.0.0.0/0      trust
"""

passed = 0
failed = 0


def check(name, cond, why=""):
    global passed, failed
    if cond:
        passed += 1
        print("PASS auth %s" % name)
    else:
        failed += 1
        print("FAIL auth %s: %s" % (name, why))
    sys.stdout.flush()


# --- a protocol client that reports SQLSTATEs -------------------------------------

def _recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("server closed the connection")
        data += chunk
    return data


def _recv_message(sock):
    kind = _recv_exact(sock, 1)
    (length,) = struct.unpack("!i", _recv_exact(sock, 4))
    return kind, _recv_exact(sock, length - 4)


def _send(sock, kind, body):
    sock.sendall(kind + struct.pack("!i", len(body) + 4) + body)


def _error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode()
    return fields


offered_mechanisms = []  # the SASL mechanisms of the last AuthenticationSASL


def login(port, user, password, database="tessera", tls=None, binding="n"):
    """Returns ("ok", method) or ("error", sqlstate, message). With `tls`
    (an ssl.SSLContext) the connection asks for TLS first (SSLRequest).
    `binding`: the SCRAM gs2 flag "n" or "y", or "plus" for
    SCRAM-SHA-256-PLUS with tls-server-end-point ("plus-wrong": wrong data)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        if tls is not None:
            sock.sendall(struct.pack("!ii", 8, 80877103))
            answer = _recv_exact(sock, 1)
            if answer != b"S":
                raise AssertionError("SSLRequest answered %r" % answer)
            sock = tls.wrap_socket(sock, server_hostname="127.0.0.1")
        params = b"user\0" + user.encode() + b"\0database\0" + database.encode() + b"\0\0"
        body = struct.pack("!i", 196608) + params
        sock.sendall(struct.pack("!i", len(body) + 4) + body)
        method = "trust"
        scram = None
        while True:
            kind, body = _recv_message(sock)
            if kind == b"E":
                f = _error_fields(body)
                return ("error", f.get("C"), f.get("M"))
            if kind == b"Z":
                _send(sock, b"X", b"")
                return ("ok", method)
            if kind != b"R":
                continue
            (code,) = struct.unpack("!i", body[:4])
            if code == 3:
                method = "password"
                _send(sock, b"p", password.encode() + b"\0")
            elif code == 10:
                method = "scram-sha-256"
                mechanisms = [m for m in body[4:].split(b"\0") if m]
                offered_mechanisms[:] = mechanisms
                mechanism = b"SCRAM-SHA-256"
                if binding.startswith("plus"):
                    # RFC 5929: the certificate is signed with SHA-256, so its SHA-256 hash.
                    data = hashlib.sha256(sock.getpeercert(binary_form=True)).digest()
                    scram = ScramClient(password, "p=tls-server-end-point,,", data if binding == "plus" else bytes(32))
                    method, mechanism = "scram-sha-256-plus", b"SCRAM-SHA-256-PLUS"
                else:
                    scram = ScramClient(password, binding + ",,")
                if mechanism not in mechanisms:
                    raise AssertionError("no %s in %r" % (mechanism.decode(), mechanisms))
                first = scram.first().encode()
                _send(sock, b"p", mechanism + b"\0" + struct.pack("!i", len(first)) + first)
            elif code == 11:
                _send(sock, b"p", scram.final(body[4:].decode()).encode())
            elif code == 12:
                if not scram.verify_server(body[4:].decode()):
                    raise AssertionError("wrong server signature")
            elif code != 0:
                raise AssertionError("unexpected authentication request %d" % code)
    finally:
        sock.close()


class ScramClient:
    """The client side of SCRAM-SHA-256 (RFC 5802/7677); with a "p=" gs2
    header, SCRAM-SHA-256-PLUS binding `cbind_data` (RFC 5929)."""

    def __init__(self, password, gs2="n,,", cbind_data=b""):
        self.password = password.encode()
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.gs2, self.cbind_data = gs2, cbind_data

    def first(self):
        self.first_bare = "n=,r=" + self.nonce
        return self.gs2 + self.first_bare

    def final(self, server_first):
        attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
        if not attrs["r"].startswith(self.nonce):
            raise AssertionError("server nonce does not extend ours")
        salted = hashlib.pbkdf2_hmac("sha256", self.password, base64.b64decode(attrs["s"]), int(attrs["i"]))
        client_key = hmac.new(salted, b"Client Key", "sha256").digest()
        stored_key = hashlib.sha256(client_key).digest()
        channel = base64.b64encode(self.gs2.encode() + self.cbind_data).decode()  # "biws" for "n,,"
        without_proof = "c=" + channel + ",r=" + attrs["r"]
        self.auth_message = ",".join([self.first_bare, server_first, without_proof]).encode()
        signature = hmac.new(stored_key, self.auth_message, "sha256").digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        self.server_key = hmac.new(salted, b"Server Key", "sha256").digest()
        return without_proof + ",p=" + base64.b64encode(proof).decode()

    def verify_server(self, server_final):
        want = hmac.new(self.server_key, self.auth_message, "sha256").digest()
        return server_final == "v=" + base64.b64encode(want).decode()


# --- servers -------------------------------------------------------------------------

def wait_ready(port, proc, what, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("%s exited: %s" % (what, open(log).read()[-2000:]))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("%s did not start" % what)


class Tessera:
    admin = "tessera"

    def __init__(self, binary, hba_file):
        self.binary, self.hba_file = binary, hba_file
        self.dir = tempfile.mkdtemp(prefix="tessera-auth.")
        self.port = free_port()
        self.proc = None
        self.extra_args = []

    def start(self, with_hba):
        self.log = os.path.join(self.dir, "server.log")
        args = [self.binary, "start", "--data", os.path.join(self.dir, "data"), "--port", str(self.port),
                "--listen", "127.0.0.1", "--no-sync"]
        if with_hba:
            args += ["--hba", self.hba_file]
        args += self.extra_args
        self.proc = subprocess.Popen(args, stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        wait_ready(self.port, self.proc, "tessera", self.log)

    def reload(self, hba_text):
        with open(self.hba_file, "w") as f:
            f.write(hba_text)
        os.kill(self.proc.pid, signal.SIGHUP)

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def server_log(self):
        return open(self.log).read()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Postgres:
    admin = "postgres"

    def __init__(self, bin_dir, hba_file):
        self.bin, self.hba_file = bin_dir, hba_file
        self.dir = tempfile.mkdtemp(prefix="tessera-auth-pg.")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "pg.log")
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.run([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"
                    "password_encryption = 'scram-sha-256'\nfsync = off\nlog_line_prefix = '%%m [%%p] %%h '\n" % (self.port, self.dir))

    def run(self, args):
        if self.as_postgres:
            args = ["su", "postgres", "-c", " ".join("'%s'" % a for a in args)]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def start(self, with_hba):
        if with_hba:
            shutil.copy(self.hba_file, os.path.join(self.data, "pg_hba.conf"))
        self.run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", self.log, "-w", "start"])
        wait_ready(self.port, None, "postgres", self.log)

    def reload(self, hba_text):
        with open(os.path.join(self.data, "pg_hba.conf"), "w") as f:
            f.write(hba_text)
        self.run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "reload"])

    def stop(self):
        self.run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"])

    def server_log(self):
        return open(self.log).read()

    def cleanup(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the checks ------------------------------------------------------------------

def setup_roles(server):
    """Run without rules: the superuser (trusted on loopback) creates the roles."""
    dbname = "postgres" if server.admin == "postgres" else "tessera"
    conn = psycopg2.connect(host="127.0.0.1", port=server.port, user=server.admin, dbname=dbname)
    conn.autocommit = True
    cur = conn.cursor()
    if server.admin == "postgres":
        cur.execute("CREATE DATABASE tessera")
    cur.execute("ALTER ROLE %s PASSWORD %%s" % server.admin, (PASSWORD,))
    cur.execute("CREATE ROLE alice LOGIN PASSWORD %s", (PASSWORD,))
    cur.execute("CREATE USER carol PASSWORD %s", (PASSWORD,))
    cur.execute("CREATE USER bob PASSWORD %s", (PASSWORD,))
    cur.execute("CREATE USER mallory PASSWORD %s", (PASSWORD,))
    cur.execute("CREATE ROLE nologin PASSWORD %s", (PASSWORD,))
    cur.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'")
    verifier = cur.fetchone()[0]
    conn.close()
    return verifier


def run_checks(server, label):
    admin = server.admin
    port = server.port

    def expect_login(name, user, password, want):
        try:
            got = login(port, user, password)
        except Exception as e:  # noqa: BLE001
            got = ("exception", repr(e))
        check("%s %s" % (label, name), got == want, "got %r, want %r" % (got, want))

    # The protocol client: SCRAM and cleartext succeed with the right password.
    expect_login("scram_right_password", "alice", PASSWORD, ("ok", "scram-sha-256"))
    expect_login("superuser_scram", admin, PASSWORD, ("ok", "scram-sha-256"))
    expect_login("cleartext_right_password", "carol", PASSWORD, ("ok", "password"))
    failed_for = 'password authentication failed for user "%s"'
    expect_login("scram_wrong_password", "alice", "wrong", ("error", "28P01", failed_for % "alice"))
    expect_login("cleartext_wrong_password", "carol", "wrong", ("error", "28P01", failed_for % "carol"))
    expect_login("cleartext_empty_password", "carol", "", ("error", "28P01", "empty password returned by client"))
    expect_login("scram_role_missing", "ghost", PASSWORD, ("error", "28P01", failed_for % "ghost"))
    no_entry = 'no pg_hba.conf entry for host "127.0.0.1", user "%s", database "tessera", no encryption'
    expect_login("no_rule_admits", "bob", PASSWORD, ("error", "28000", no_entry % "bob"))
    expect_login("reject_rule", "mallory", PASSWORD,
                 ("error", "28000", 'pg_hba.conf rejects connection for host "127.0.0.1", user "mallory", '
                                    'database "tessera", no encryption'))
    expect_login("nologin_role", "nologin", PASSWORD,
                 ("error", "28000", 'role "nologin" is not permitted to log in'))

    # psycopg2 (libpq): the right password connects and sees its own role.
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="alice", password=PASSWORD, dbname="tessera")
        cur = conn.cursor()
        cur.execute("SELECT current_user, session_user")
        row = cur.fetchone()
        conn.close()
        check("%s psycopg2_right_password" % label, row == ("alice", "alice"), "got %r" % (row,))
    except psycopg2.Error as e:
        check("%s psycopg2_right_password" % label, False, str(e).strip())
    try:
        psycopg2.connect(host="127.0.0.1", port=port, user="alice", password="wrong", dbname="tessera").close()
        check("%s psycopg2_wrong_password" % label, False, "connected")
    except psycopg2.OperationalError as e:
        check("%s psycopg2_wrong_password" % label, failed_for % "alice" in str(e), str(e).strip())

    # psql: with PGPASSWORD it connects; without one it cannot.
    env = dict(os.environ, PGPASSWORD=PASSWORD, PGCONNECT_TIMEOUT="10")
    psql = [os.path.join(PG_BIN, "psql"), "-h", "127.0.0.1", "-p", str(port), "-d", "tessera", "-XAtq"]
    out = subprocess.run(psql + ["-U", "alice", "-c", "SELECT current_user"], env=env, capture_output=True,
                         text=True, timeout=30)
    check("%s psql_right_password" % label, out.returncode == 0 and out.stdout.strip() == "alice",
          (out.stdout + out.stderr).strip())
    env["PGPASSWORD"] = "wrong"
    out = subprocess.run(psql + ["-U", "alice", "-c", "SELECT 1"], env=env, capture_output=True, text=True,
                         timeout=30)
    check("%s psql_wrong_password" % label, out.returncode != 0 and failed_for % "alice" in out.stderr,
          (out.stdout + out.stderr).strip())
    out = subprocess.run(psql + ["-U", "mallory", "-c", "SELECT 1"], env=env, capture_output=True, text=True,
                         timeout=30)
    check("%s psql_reject" % label, out.returncode != 0 and "pg_hba.conf rejects connection" in out.stderr,
          (out.stdout + out.stderr).strip())

    # Without SUPERUSER or CREATEROLE a role may change its own password, nothing else.
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="alice", password=PASSWORD, dbname="tessera")
    conn.autocommit = True
    for name, sql, want in (
            ("own_password", "ALTER ROLE alice PASSWORD '%s'" % PASSWORD, None),
            ("create_role_denied", "CREATE ROLE intruder", ("42501", "permission denied to create role")),
            ("create_superuser_denied", "CREATE ROLE intruder SUPERUSER",
             ("42501", "must be superuser to create superusers")),
            ("alter_other_denied", "ALTER ROLE carol PASSWORD 'x'", ("42501", "permission denied")),
            ("alter_superuser_denied", "ALTER ROLE %s PASSWORD 'x'" % admin,
             ("42501", "must be superuser to alter superuser roles or change superuser attribute")),
            ("drop_role_denied", "DROP ROLE carol", ("42501", "permission denied to drop role"))):
        try:
            conn.cursor().execute(sql)
            got = None
        except psycopg2.Error as e:
            got = (e.pgcode, e.diag.message_primary)
        check("%s %s" % (label, name), got == want, "got %r, want %r" % (got, want))
    conn.close()

    # A password change takes effect for the next login; the old one fails.
    conn = psycopg2.connect(host="127.0.0.1", port=port, user=admin, password=PASSWORD, dbname="tessera")
    conn.autocommit = True
    conn.cursor().execute("ALTER ROLE alice WITH PASSWORD 'changed'")
    conn.close()
    expect_login("new_password", "alice", "changed", ("ok", "scram-sha-256"))
    expect_login("old_password", "alice", PASSWORD, ("error", "28P01", failed_for % "alice"))

    # Failed attempts are logged with the client's address.
    lines = [line for line in server.server_log().splitlines()
             if 'password authentication failed for user "ghost"' in line and "127.0.0.1" in line]
    check("%s failure_logged" % label, len(lines) > 0,
          "no line of the server log names both the failed user ghost and the client address 127.0.0.1")


def verifier_format(verifier, label):
    parts = verifier.split("$") if verifier else []
    ok = (len(parts) == 3 and parts[0] == "SCRAM-SHA-256" and parts[1].split(":")[0] == "4096" and
          len(base64.b64decode(parts[1].split(":")[1])) == 16 and
          all(len(base64.b64decode(k)) == 32 for k in parts[2].split(":")))
    check("%s verifier_format" % label, ok, "pg_authid.rolpassword is %r" % verifier)


def reload_checks(server, label, hba_text):
    """SIGHUP (pg_ctl reload for PostgreSQL) re-reads the rules: a rule added
    in front now rejects alice, who logged in a moment ago; a session opened
    before the reload is not affected."""
    password = "changed"  # run_checks' last password change
    before = psycopg2.connect(host="127.0.0.1", port=server.port, user="alice", password=password, dbname="tessera")
    server.reload("host all alice 127.0.0.1/32 reject\n" + hba_text)
    want = ("error", "28000", 'pg_hba.conf rejects connection for host "127.0.0.1", user "alice", '
            'database "tessera", no encryption')
    got = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        got = login(server.port, "alice", password)
        if got == want:
            break
        time.sleep(0.1)
    check("%s reload_rules_on_sighup" % label, got == want, "got %r, want %r" % (got, want))
    cur = before.cursor()
    cur.execute("SELECT 1")
    check("%s reload_keeps_open_sessions" % label, cur.fetchone() == (1,))
    before.close()


def password_file_checks(binary, work):
    """`tessera start --password-file FILE` sets the superuser's password from
    the file's first line, so a server whose rules want SCRAM from the start
    (no trusted first login to set one) admits its superuser."""
    secret = "from the file"
    pw_file = os.path.join(work, "superuser_password")
    with open(pw_file, "w") as f:
        f.write(secret + "\n")
    hba_file = os.path.join(work, "scram_only_hba.conf")
    with open(hba_file, "w") as f:
        f.write("host all all 127.0.0.1/32 scram-sha-256\n")
    server = Tessera(binary, hba_file)
    server.extra_args = ["--password-file", pw_file]
    try:
        server.start(with_hba=True)
        got = login(server.port, "tessera", secret)
        check("tessera password_file_superuser_logs_in", got == ("ok", "scram-sha-256"), "got %r" % (got,))
        got = login(server.port, "tessera", PASSWORD)
        check("tessera password_file_other_password_refused",
              got == ("error", "28P01", 'password authentication failed for user "tessera"'), "got %r" % (got,))
    except Exception as e:  # noqa: BLE001
        check("tessera password_file setup", False, repr(e))
    finally:
        server.cleanup()


def main():
    global PG_BIN
    binary = sys.argv[1]
    PG_BIN = sys.argv[2] if len(sys.argv) > 2 else "/usr/lib/postgresql/15/bin"
    work = tempfile.mkdtemp(prefix="tessera-auth-rules.")
    os.chmod(work, 0o755)
    servers = []
    try:
        for label, make in (("tessera", lambda f: Tessera(binary, f)), ("postgresql", lambda f: Postgres(PG_BIN, f))):
            hba_file = os.path.join(work, "%s_hba.conf" % label)
            admin = "tessera" if label == "tessera" else "postgres"
            with open(hba_file, "w") as f:
                f.write(HBA.format(admin=admin))
            os.chmod(hba_file, 0o644)
            try:
                server = make(hba_file)
                servers.append(server)
                server.start(with_hba=False)
                verifier = setup_roles(server)
                verifier_format(verifier, label)
                server.stop()
                server.start(with_hba=True)
                run_checks(server, label)
                reload_checks(server, label, HBA.format(admin=admin))
            except Exception as e:  # noqa: BLE001
                check("%s setup" % label, False, repr(e))
        password_file_checks(binary, work)
        tls_checks.run(binary, PG_BIN, work, check, login, offered_mechanisms, Tessera, Postgres)
    finally:
        for server in servers:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    print("auth total: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
