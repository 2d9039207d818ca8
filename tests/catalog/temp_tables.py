#!/usr/bin/env python3
"""Temporary tables go with their session, however it ends, and a server's
leftovers go at its next start (issue 11; ARCHITECTURE.md, "Temporary tables").

    temp_tables.py     server from $TESSERA_BIN or $BUILD_DIR/cluster/tessera

Starts its own embedded server on a fresh data directory. Checks, each a
PASS/FAIL line: another session cannot read a temp table by its schema's name
(0A000); the table is gone after the session's Terminate, after its socket
drops without one, after pg_terminate_backend; COPY into a temp table; and
after a SIGKILL of the server, the restarted one has no temp table left while
the permanent table of the same name is intact. Last line:
"temp-tables total: P passed, F failed".
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import psycopg2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from free_ports import free_ports  # noqa: E402

BIN = os.environ.get("TESSERA_BIN", os.path.join(ROOT, os.environ.get("BUILD_DIR", "build"), "cluster", "tessera"))
passed = 0
failed = 0


def check(name, expected, actual):
    global passed, failed
    if expected == actual:
        print(f"PASS temp-tables {name}")
        passed += 1
    else:
        print(f"FAIL temp-tables {name}: expected {expected!r}, got {actual!r}")
        failed += 1


class Server:
    def __init__(self, work, port):
        self.work, self.port, self.proc = work, port, None

    def start(self):
        log = open(os.path.join(self.work, "server.log"), "a")
        self.proc = subprocess.Popen([BIN, "start", "--data", os.path.join(self.work, "data"), "--port",
                                      str(self.port), "--listen", "127.0.0.1"], stdout=log, stderr=log)
        for _ in range(150):
            try:
                connect(self.port).close()
                return
            except psycopg2.OperationalError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError("server did not start; see " + log.name)

    def crash(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def connect(port):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="tessera", dbname="tessera", connect_timeout=5)
    conn.autocommit = True
    return conn


def one(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()[0]


def sqlstate(conn, sql):
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
        return "ok"
    except psycopg2.Error as e:
        return e.pgcode


def temp_tables(conn, name):
    """How many temp tables named `name` pg_class lists (every session's)."""
    return one(conn, "SELECT count(*) FROM pg_class WHERE relname = %s AND relpersistence = 't'", (name,))


def wait_gone(conn, name):
    """A session's end is noticed by the server after the client left: wait a little for the cleanup."""
    for _ in range(50):
        if temp_tables(conn, name) == 0:
            return 0
        time.sleep(0.1)
    return temp_tables(conn, name)


# A client that holds a temp table until it is killed (its socket then drops without a Terminate).
HOLDER = """
import sys, time, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), user="tessera", dbname="tessera")
conn.autocommit = True
cur = conn.cursor()
cur.execute("CREATE TEMP TABLE " + sys.argv[2] + " (id int PRIMARY KEY, v text)")
cur.execute("INSERT INTO " + sys.argv[2] + " VALUES (1, 'held')")
print("ready", flush=True)
time.sleep(600)
"""


def hold(port, name):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(port), name], stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().strip() != "ready":
        raise RuntimeError("the holding client failed")
    return proc


def main():
    work = tempfile.mkdtemp(prefix="tessera-temp-tables.")
    server = Server(work, free_ports(1)[0])
    server.start()
    try:
        run(server)
    finally:
        if server.proc and server.proc.poll() is None:
            server.crash()
        subprocess.run(["rm", "-rf", work])
    print(f"temp-tables total: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def run(server):
    port = server.port
    other = connect(port)
    with other.cursor() as cur:
        cur.execute("CREATE TABLE tt_same (id int PRIMARY KEY, v text)")
        cur.execute("INSERT INTO tt_same VALUES (1, 'permanent')")

    # Privacy: the owner reads and writes it (COPY too); others cannot, even qualified.
    owner = connect(port)
    with owner.cursor() as cur:
        cur.execute("CREATE TEMP TABLE tt_same (id int PRIMARY KEY, v text)")
        cur.copy_expert("COPY tt_same FROM STDIN", __import__("io").StringIO("7\tcopied\n8\tcopied\n"))
    check("COPY into a temp table", 2, one(owner, "SELECT count(*) FROM tt_same"))
    schema = one(owner, "SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()")
    check("its schema is pg_temp_N", True, schema.startswith("pg_temp_"))
    check("another session reads the permanent table", "permanent", one(other, "SELECT v FROM tt_same"))
    check("another session cannot read it qualified", "0A000", sqlstate(other, f"SELECT * FROM {schema}.tt_same"))
    check("another session cannot write it", "0A000", sqlstate(other, f"INSERT INTO {schema}.tt_same VALUES (9, 'x')"))
    check("another session cannot truncate it", "0A000", sqlstate(other, f"TRUNCATE {schema}.tt_same"))

    # Terminate: the table goes with the session.
    owner.close()
    check("gone after the session's Terminate", 0, wait_gone(other, "tt_same"))
    check("the permanent table stays", "permanent", one(other, "SELECT v FROM tt_same"))

    # A dropped socket (the client killed, no Terminate).
    holder = hold(port, "tt_held")
    check("held by a live session", 1, temp_tables(other, "tt_held"))
    holder.kill()
    holder.wait()
    check("gone after the client's socket dropped", 0, wait_gone(other, "tt_held"))

    # pg_terminate_backend.
    victim = connect(port)
    with victim.cursor() as cur:
        cur.execute("CREATE TEMP TABLE tt_victim (id int)")
    pid = one(victim, "SELECT pg_backend_pid()")
    check("pg_terminate_backend", True, one(other, "SELECT pg_terminate_backend(%s)", (pid,)))
    check("gone after pg_terminate_backend", 0, wait_gone(other, "tt_victim"))
    victim.close()

    # A server crash: the restarted server drops what its sessions left.
    holder = hold(port, "tt_same")
    other.close()
    check("held before the crash", 1, temp_tables(connect(port), "tt_same"))
    server.crash()
    holder.kill()
    holder.wait()
    server.start()
    fresh = connect(port)
    check("no temp table after a restart", 0, one(fresh, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'"))
    check("no temp schema after a restart", 0,
          one(fresh, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pg_temp%'"))
    check("the permanent table after a restart", "permanent", one(fresh, "SELECT v FROM tt_same"))
    with fresh.cursor() as cur:
        cur.execute("CREATE TEMP TABLE tt_same (id int)")
    check("a new temp table of the same name after a restart", 0, one(fresh, "SELECT count(*) FROM tt_same"))
    with fresh.cursor() as cur:
        cur.execute("DROP TABLE tt_same")
        cur.execute("DROP TABLE tt_same")
    fresh.close()


if __name__ == "__main__":
    sys.exit(main())
