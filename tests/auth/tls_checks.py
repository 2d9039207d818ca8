"""TLS for client connections (issue 13), run by test_auth.py against Tessera
and PostgreSQL 15 configured alike.

The test makes its own CA with the openssl CLI, a server certificate for
localhost and 127.0.0.1 and client certificates (CN=certuser, CN=alice, and
one from a second CA). Each server first runs without TLS (the superuser
creates the roles; `sslmode=require` must fail, `SHOW ssl` says off), then
with the certificate, key and CA (Tessera: --tls-cert/--tls-key/--tls-ca;
PostgreSQL: ssl = on, ssl_cert_file, ssl_key_file, ssl_ca_file) and the
rules of HBA below, and must answer these checks alike:
  - psql with sslmode=verify-full and SCRAM connects; SHOW ssl is on and
    pg_stat_ssl shows its TLS session; psycopg2 with verify-full too;
  - a wrong password over TLS gets 28P01;
  - SCRAM-SHA-256-PLUS (tls-server-end-point) is offered over TLS only and
    binds to the server certificate; wrong binding data, or the "y" flag
    over TLS, is refused (28000); psql channel_binding=require works;
  - hostssl refuses plain TCP and hostnossl refuses TLS (28000);
  - `cert`: a client certificate of the CA whose CN is the user logs in
    (pg_stat_ssl shows its DN, serial and issuer as PostgreSQL does); a wrong
    CN or no certificate gets 28000; one from another CA fails the handshake,
    which is logged, and the server goes on serving.
"""
import os
import pwd
import shutil
import socket
import ssl
import struct
import subprocess
import time

import psycopg2

PASSWORD = "tls pass"
HBA = """# Rules of the TLS test (the same file serves Tessera and PostgreSQL 15).
hostnossl all  plain           127.0.0.1/32  trust
hostssl   all  certuser        127.0.0.1/32  cert
hostssl   all  sslonly         127.0.0.1/32  trust
host      all  "{admin}",alice  127.0.0.1/32  scram-sha-256
"""


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_certs(work):
    """A CA, a server certificate for localhost/127.0.0.1, client certificates."""
    d = os.path.join(work, "certs")
    os.makedirs(d)
    for ca in ("ca", "other_ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt",
                "-days", "2", "-subj", "/CN=Tessera test %s" % ca.replace("_", " "), cwd=d)
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")

    def issue(name, cn, ca="ca", ext=None):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + cn, cwd=d)
        args = ["x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2"]
        openssl(*(args + (["-extfile", ext] if ext else [])), cwd=d)
        os.chmod(os.path.join(d, name + ".key"), 0o600)

    issue("server", "localhost", ext="server.ext")
    issue("certuser", "certuser")
    issue("alice", "alice")
    issue("stranger", "certuser", ca="other_ca")
    serial = subprocess.run(["openssl", "x509", "-noout", "-serial", "-in", os.path.join(d, "certuser.crt")],
                            capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
    return d, str(int(serial, 16))


def context(certs, client=None):
    ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.crt"))  # verify-full
    if client:
        ctx.load_cert_chain(os.path.join(certs, client + ".crt"), os.path.join(certs, client + ".key"))
    return ctx


def libpq(port, user, certs, sslmode="verify-full", client=None):
    dsn = "host=127.0.0.1 port=%d dbname=tessera user=%s sslmode=%s sslrootcert=%s connect_timeout=10" % (
        port, user, sslmode, os.path.join(certs, "ca.crt"))
    if client:
        dsn += " sslcert=%s sslkey=%s" % (os.path.join(certs, client + ".crt"), os.path.join(certs, client + ".key"))
    return dsn


def enable_tls(server, certs):
    """Restart material: Tessera's flags, PostgreSQL's ssl settings."""
    if hasattr(server, "extra_args"):
        server.extra_args = ["--tls-cert", os.path.join(certs, "server.crt"), "--tls-key",
                             os.path.join(certs, "server.key"), "--tls-ca", os.path.join(certs, "ca.crt")]
        return
    # PostgreSQL wants its key owned by its own user, mode 0600.
    for name in ("server.crt", "server.key", "ca.crt"):
        shutil.copy(os.path.join(certs, name), os.path.join(server.dir, name))
        if server.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(os.path.join(server.dir, name), pw.pw_uid, pw.pw_gid)
    os.chmod(os.path.join(server.dir, "server.key"), 0o600)
    with open(os.path.join(server.data, "postgresql.conf"), "a") as f:
        f.write("ssl = on\nssl_cert_file = '%s/server.crt'\nssl_key_file = '%s/server.key'\n"
                "ssl_ca_file = '%s/ca.crt'\n" % (server.dir, server.dir, server.dir))


def psql(pg_bin, dsn, *sql, password=None):
    env = dict(os.environ, PGCONNECT_TIMEOUT="10")
    env.pop("PGPASSWORD", None)
    if password is not None:
        env["PGPASSWORD"] = password
    args = [os.path.join(pg_bin, "psql"), dsn, "-XAtq"]
    for s in sql:
        args += ["-c", s]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)


def stat_ssl(conn):
    cur = conn.cursor()
    cur.execute("SELECT ssl, version, cipher, bits, client_dn, client_serial::text, issuer_dn "
                "FROM pg_stat_ssl WHERE pid = %s", (conn.get_backend_pid(),))
    return cur.fetchone()


def injected_after_ssl_request(port, ctx):
    """SSLRequest and a startup packet in one write, then the handshake:
    returns the first ErrorResponse read over TLS as ("error", code, message)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        body = struct.pack("!i", 196608) + b"user\0alice\0database\0tessera\0\0"
        sock.sendall(struct.pack("!ii", 8, 80877103) + struct.pack("!i", len(body) + 4) + body)
        if sock.recv(1) != b"S":
            return ("no S",)
        tls = ctx.wrap_socket(sock, server_hostname="127.0.0.1")
        data = b""
        while True:
            chunk = tls.recv(65536)
            if not chunk:
                break
            data += chunk
        while data:
            kind, length = data[:1], struct.unpack("!i", data[1:5])[0]
            if kind == b"E":
                fields = {chr(p[0]): p[1:].decode() for p in data[5:1 + length].split(b"\0") if p}
                return ("error", fields.get("C"), fields.get("M"))
            data = data[1 + length:]
        return ("no error",)
    finally:
        sock.close()


def first_error(read):
    """Reads until the server closes; the first ErrorResponse as
    ("error", severity, code, message), or what came instead."""
    data = b""
    while True:
        try:
            chunk = read()
        except (ConnectionError, ssl.SSLError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
    while len(data) >= 5:
        kind, length = data[:1], struct.unpack("!i", data[1:5])[0]
        if kind == b"E":
            fields = {chr(p[0]): p[1:].decode() for p in data[5:1 + length].split(b"\0") if p}
            return ("error", fields.get("V"), fields.get("C"), fields.get("M"))
        data = data[1 + length:]
    return ("no error", data[:20])


def second_ssl_request(port, ctx=None):
    """An SSLRequest answered ('N' on a plain server, or TLS set up with
    `ctx`), then another SSLRequest: PostgreSQL takes a request once per
    connection and ends it with FATAL 0A000."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        request = struct.pack("!ii", 8, 80877103)
        sock.sendall(request)
        answer = sock.recv(1)
        if ctx is None:
            if answer != b"N":
                return ("answer", answer)
            sock.sendall(request)
            return first_error(lambda: sock.recv(65536))
        if answer != b"S":
            return ("answer", answer)
        tls = ctx.wrap_socket(sock, server_hostname="127.0.0.1")
        tls.sendall(request)
        return first_error(lambda: tls.recv(65536))
    finally:
        sock.close()


SECOND_SSL_REQUEST = ("error", "FATAL", "0A000", "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0")


def plain_checks(server, label, pg_bin, certs, check):
    """The server without TLS: roles are created, sslmode=require fails."""
    dbname = "postgres" if server.admin == "postgres" else "tessera"
    conn = psycopg2.connect(host="127.0.0.1", port=server.port, user=server.admin, dbname=dbname)
    conn.autocommit = True
    cur = conn.cursor()
    if server.admin == "postgres":
        cur.execute("CREATE DATABASE tessera")
    cur.execute("ALTER ROLE %s PASSWORD %%s" % server.admin, (PASSWORD,))
    cur.execute("CREATE ROLE alice LOGIN PASSWORD %s", (PASSWORD,))
    for user in ("plain", "certuser", "sslonly"):
        cur.execute("CREATE USER %s" % user)
    cur.execute("SHOW ssl")
    check("%s tls_show_ssl_off" % label, cur.fetchone() == ("off",))
    conn.close()
    got = second_ssl_request(server.port)
    check("%s tls_second_ssl_request_after_refusal" % label, got == SECOND_SSL_REQUEST, "got %r" % (got,))
    out = psql(pg_bin, libpq(server.port, server.admin, certs, sslmode="require"), "SELECT 1")
    check("%s tls_require_against_plain_server" % label,
          out.returncode != 0 and "server does not support SSL, but SSL was required" in out.stderr,
          (out.stdout + out.stderr).strip())


def tls_checks(server, label, pg_bin, certs, serial, check, login, mechanisms):
    port, admin = server.port, server.admin

    def offered():
        return list(mechanisms)

    def expect(name, user, password, want, tls=None, binding="n"):
        try:
            got = login(port, user, password, tls=tls, binding=binding)
        except Exception as e:  # noqa: BLE001
            got = ("exception", repr(e))
        check("%s tls_%s" % (label, name), got == want, "got %r, want %r" % (got, want))

    # psql, verify-full, SCRAM: SHOW ssl and pg_stat_ssl say TLS.
    out = psql(pg_bin, libpq(port, "alice", certs), "SHOW ssl",
               "SELECT ssl, version, bits > 0 FROM pg_stat_ssl WHERE ssl", password=PASSWORD)
    check("%s tls_psql_verify_full_scram" % label,
          out.returncode == 0 and out.stdout.split() == ["on", "t|TLSv1.3|t"], (out.stdout + out.stderr).strip())
    # psycopg2, verify-full: its own session's row.
    try:
        conn = psycopg2.connect(libpq(port, "alice", certs), password=PASSWORD)
        row = stat_ssl(conn)
        cur = conn.cursor()
        cur.execute("SELECT current_user")
        user = cur.fetchone()
        conn.close()
        check("%s tls_psycopg2_verify_full" % label,
              user == ("alice",) and row is not None and row[:2] == (True, "TLSv1.3") and row[2] and
              row[3] >= 128 and row[4:] == (None, None, None), "got %r %r" % (user, row))
    except psycopg2.Error as e:
        check("%s tls_psycopg2_verify_full" % label, False, str(e).strip())
    # SET ssl is refused, as for any server setting.
    try:
        conn = psycopg2.connect(libpq(port, "alice", certs), password=PASSWORD)
        try:
            conn.cursor().execute("SET ssl = off")
            got = None
        except psycopg2.Error as e:
            got = (e.pgcode, e.diag.message_primary)
        conn.close()
        check("%s tls_set_ssl_refused" % label, got == ("55P02", 'parameter "ssl" cannot be changed now'),
              "got %r" % (got,))
    except psycopg2.Error as e:
        check("%s tls_set_ssl_refused" % label, False, str(e).strip())

    failed_for = 'password authentication failed for user "%s"'
    no_entry = 'no pg_hba.conf entry for host "127.0.0.1", user "%s", database "tessera", %s'
    expect("scram_over_tls", "alice", PASSWORD, ("ok", "scram-sha-256"), tls=context(certs))
    # SCRAM-SHA-256-PLUS: offered over TLS only, first; bound to the server's certificate.
    check("%s tls_mechanisms_over_tls" % label, offered() == [b"SCRAM-SHA-256-PLUS", b"SCRAM-SHA-256"],
          "offered %r" % offered())
    expect("scram_plain_tcp", "alice", PASSWORD, ("ok", "scram-sha-256"))
    check("%s tls_mechanisms_plain_tcp" % label, offered() == [b"SCRAM-SHA-256"], "offered %r" % offered())
    expect("scram_plus", "alice", PASSWORD, ("ok", "scram-sha-256-plus"), tls=context(certs), binding="plus")
    expect("scram_plus_wrong_binding", "alice", PASSWORD, ("error", "28000", "SCRAM channel binding check failed"),
           tls=context(certs), binding="plus-wrong")
    expect("scram_plus_wrong_password", "alice", "wrong", ("error", "28P01", failed_for % "alice"),
           tls=context(certs), binding="plus")
    expect("scram_y_flag_over_tls", "alice", PASSWORD,
           ("error", "28000", "SCRAM channel binding negotiation error"), tls=context(certs), binding="y")
    out = psql(pg_bin, libpq(port, "alice", certs) + " channel_binding=require", "SELECT current_user",
               password=PASSWORD)
    check("%s tls_psql_channel_binding_require" % label, out.returncode == 0 and out.stdout.strip() == "alice",
          (out.stdout + out.stderr).strip())
    out = psql(pg_bin, libpq(port, "alice", certs, sslmode="disable") + " channel_binding=require", "SELECT 1",
               password=PASSWORD)
    check("%s tls_psql_channel_binding_without_tls" % label,
          out.returncode != 0 and "channel binding required, but SSL not in use" in out.stderr,
          (out.stdout + out.stderr).strip())
    expect("wrong_password_over_tls", "alice", "wrong", ("error", "28P01", failed_for % "alice"), tls=context(certs))
    expect("hostssl_refuses_plain", "sslonly", "", ("error", "28000", no_entry % ("sslonly", "no encryption")))
    expect("hostssl_admits_tls", "sslonly", "", ("ok", "trust"), tls=context(certs))
    expect("hostnossl_refuses_tls", "plain", "", ("error", "28000", no_entry % ("plain", "SSL encryption")),
           tls=context(certs))
    expect("hostnossl_admits_plain", "plain", "", ("ok", "trust"))
    expect("cert_right_cn", "certuser", "", ("ok", "trust"), tls=context(certs, "certuser"))
    expect("cert_wrong_cn", "certuser", "",
           ("error", "28000", 'certificate authentication failed for user "certuser"'), tls=context(certs, "alice"))
    expect("cert_missing", "certuser", "", ("error", "28000", "connection requires a valid client certificate"),
           tls=context(certs))
    # A certificate of another CA: the handshake fails, for this client only.
    try:
        got = login(port, "certuser", "", tls=context(certs, "stranger"))
    except Exception as e:  # noqa: BLE001
        got = ("exception", type(e).__name__)
    check("%s tls_cert_other_ca_refused" % label, got[0] == "exception", "got %r" % (got,))
    logged = []
    deadline = time.monotonic() + 10  # the server may log just after the client saw its alert
    while not logged and time.monotonic() < deadline:
        logged = [line for line in server.server_log().splitlines() if "could not accept SSL connection" in line]
        time.sleep(0.05)
    check("%s tls_failed_handshake_logged" % label, len(logged) > 0, "no 'could not accept SSL connection' line")
    if label == "tessera":
        check("tessera tls_failed_handshake_names_client", any("127.0.0.1" in line for line in logged),
              "the log line does not name the client: %r" % logged)
    # psycopg2 with the client certificate: pg_stat_ssl shows it as PostgreSQL does.
    try:
        conn = psycopg2.connect(libpq(port, "certuser", certs, client="certuser"))
        row = stat_ssl(conn)
        conn.close()
        want = ("/CN=certuser", serial, "/CN=Tessera test ca")
        check("%s tls_stat_ssl_client_certificate" % label, row is not None and row[4:] == want,
              "got %r, want %r" % (row, want))
    except psycopg2.Error as e:
        check("%s tls_stat_ssl_client_certificate" % label, False, str(e).strip())
    # A big result over TLS streams through the TLS write queue intact.
    try:
        conn = psycopg2.connect(libpq(port, "alice", certs), password=PASSWORD)
        cur = conn.cursor()
        cur.execute("SELECT i, repeat('x', 1000) FROM generate_series(1, 20000) AS g(i)")
        rows = cur.fetchall()
        conn.close()
        check("%s tls_big_result" % label,
              len(rows) == 20000 and rows[-1][0] == 20000 and all(len(r[1]) == 1000 for r in rows),
              "got %d rows" % len(rows))
    except psycopg2.Error as e:
        check("%s tls_big_result" % label, False, str(e).strip())
    # Bytes sent in plain text right after the SSLRequest (before the answer)
    # are refused once TLS is up (CVE-2021-23214).
    try:
        got = injected_after_ssl_request(port, context(certs))
    except Exception as e:  # noqa: BLE001
        got = ("exception", repr(e))
    check("%s tls_unencrypted_data_after_ssl_request" % label,
          got == ("error", "08P01", "received unencrypted data after SSL request"), "got %r" % (got,))
    try:
        got = second_ssl_request(port, context(certs))
    except Exception as e:  # noqa: BLE001
        got = ("exception", repr(e))
    check("%s tls_second_ssl_request_over_tls" % label, got == SECOND_SSL_REQUEST, "got %r" % (got,))
    # Plain connections go on working next to TLS ones.
    out = psql(pg_bin, libpq(port, admin, certs, sslmode="disable"), "SHOW ssl",
               "SELECT count(*) > 0 FROM pg_stat_ssl WHERE NOT ssl", password=PASSWORD)
    check("%s tls_plain_session_beside" % label, out.returncode == 0 and out.stdout.split() == ["on", "t"],
          (out.stdout + out.stderr).strip())


def run(binary, pg_bin, work, check, login, mechanisms, tessera_class, postgres_class):
    """`login` is test_auth.py's protocol client; `mechanisms` the list it
    fills with the SASL mechanisms each server offered last."""
    try:
        certs, serial = make_certs(work)
    except (OSError, subprocess.CalledProcessError) as e:
        check("tls certificates", False, repr(e))
        return
    for label, make in (("tessera", lambda f: tessera_class(binary, f)),
                        ("postgresql", lambda f: postgres_class(pg_bin, f))):
        hba_file = os.path.join(work, "%s_tls_hba.conf" % label)
        with open(hba_file, "w") as f:
            f.write(HBA.format(admin="tessera" if label == "tessera" else "postgres"))
        os.chmod(hba_file, 0o644)
        server = None
        try:
            server = make(hba_file)
            server.start(with_hba=False)
            plain_checks(server, label, pg_bin, certs, check)
            server.stop()
            enable_tls(server, certs)
            server.start(with_hba=True)
            tls_checks(server, label, pg_bin, certs, serial, check, login, mechanisms)
        except Exception as e:  # noqa: BLE001
            check("%s tls setup" % label, False, repr(e))
        finally:
            if server is not None:
                server.cleanup()
