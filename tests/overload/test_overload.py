"""No client can crash, wedge or exhaust the server (issue 9): long operator
chains, hundreds of sessions waiting on one row or stalled half way through a
COPY FROM STDIN or a result they do not read, pgbench on one hot row,
idle timeouts, max_connections and the startup timeout. Run against a live
server by run.sh (embedded) and tests/cluster/overload.sh (a gateway).

    test_overload.py HOST PORT USER DB [--limits-port PORT] [TEST...]

--limits-port names a second server started with --max-connections 10
--authentication-timeout 1 for the connection-limit checks (skipped when
absent: the cluster run leaves them to the embedded one, which shares the
code). Every check prints "PASS overload <name>" or "FAIL overload <name>: why".
"""
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import psycopg2  # noqa: E402
from checks import Async, Failure, expect, expect_eq  # noqa: E402
from sql_client import connect, q, q1  # noqa: E402
from pgwire_raw import RawSession  # noqa: E402

HOST, PORT, USER, DB = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
LIMITS_PORT = None
SELECTED = []
args = sys.argv[5:]
while args:
    if args[0] == "--limits-port":
        LIMITS_PORT = int(args[1])
        args = args[2:]
    else:
        SELECTED.append(args.pop(0))

CHAIN = 20000


def conn(autocommit=True, port=None, user=None):
    return connect(HOST, port or PORT, user or USER, DB, autocommit)


def sqlstate_of(fn):
    try:
        fn()
    except psycopg2.Error as e:
        return e.pgcode
    return None


def alive():
    c = conn()
    try:
        expect_eq(q1(c, "SELECT 41 + 1"), 42, "the server answers after the statement")
    finally:
        c.close()


# ---- long chains -------------------------------------------------------------

def chain_query(op, n):
    if op == "+":
        return "SELECT " + "+".join(["1"] * n), n
    if op == "or":
        return "SELECT count(*) FROM (SELECT 1) s WHERE " + " OR ".join(["1 = 0"] * (n - 1) + ["1 = 1"]), 1
    if op == "and":
        return "SELECT count(*) FROM (SELECT 1) s WHERE " + " AND ".join(["true"] * n), 1
    if op == "||":
        return "SELECT length(" + " || ".join(["'a'"] * n) + ")", n
    raise ValueError(op)


def check_chain(op):
    c = conn()
    try:
        sql, want = chain_query(op, CHAIN)
        expect_eq(q1(c, sql), want, "%d-term %s chain" % (CHAIN, op))
    finally:
        c.close()
    alive()


def check_huge_chain(op):
    # Ten times longer: the answer or 54001, never a crash.
    c = conn()
    try:
        sql, want = chain_query(op, CHAIN * 10)
        try:
            expect_eq(q1(c, sql), want, "%d-term %s chain" % (CHAIN * 10, op))
        except psycopg2.Error as e:
            expect_eq(e.pgcode, "54001", "%d-term %s chain error" % (CHAIN * 10, op))
    finally:
        c.close()
    alive()


def test_chain_plus():
    check_chain("+")


def test_chain_or():
    check_chain("or")


def test_chain_and():
    check_chain("and")


def test_chain_concat():
    check_chain("||")


def test_huge_chains_answer_or_54001():
    for op in ("+", "or", "and", "||"):
        check_huge_chain(op)


def test_deep_nesting_54001():
    c = conn()
    try:
        expect_eq(sqlstate_of(lambda: q(c, "SELECT " + "(" * 5000 + "1" + ")" * 5000)), "54001", "5000 parentheses")
    finally:
        c.close()
    alive()


# ---- sessions waiting on one row --------------------------------------------

WAITERS = 200


def test_many_waiters_do_not_wedge():
    setup = conn()
    q(setup, "DROP TABLE IF EXISTS hot_row")
    q(setup, "CREATE TABLE hot_row (id int PRIMARY KEY, v int)")
    q(setup, "INSERT INTO hot_row VALUES (1, 0)")
    holder = conn()
    q(holder, "BEGIN")
    q(holder, "UPDATE hot_row SET v = v + 1 WHERE id = 1")
    waiters = []
    conns = []
    try:
        for _ in range(WAITERS):
            conns.append(conn())
        for c in conns:
            waiters.append(Async(lambda c=c: q(c, "UPDATE hot_row SET v = v + 1 WHERE id = 1")))
        time.sleep(2.0)  # let every waiter reach the lock
        expect(all(not w.done.is_set() for w in waiters), "the waiters wait for the holder")
        # A new client connects and runs a query within a second.
        start = time.monotonic()
        newcomer = Async(lambda: q1(conn(), "SELECT count(*) FROM hot_row"))
        expect_eq(newcomer.result(10, "a new client's query"), 1, "new client's count")
        took = time.monotonic() - start
        expect(took < 1.0, "a new client waited %.2f s behind %d lock waiters" % (took, WAITERS))
        q(holder, "COMMIT")
        for w in waiters:
            w.result(120, "a waiter")
        expect_eq(q1(setup, "SELECT v FROM hot_row WHERE id = 1"), WAITERS + 1, "every waiter's update")
    finally:
        for c in conns:
            c.close()
        holder.close()
        setup.close()


# ---- clients that stall in the middle of a statement -------------------------
# Raw protocol sockets: a driver would not let a test stop half way through a
# COPY or leave a result unread. Trust authentication, so the startup packet
# and the query can be sent at once without reading anything.

STALLED = 200  # more than the 64 worker threads


def raw_session(sql, rcvbuf=None):
    """Sends the startup packet and `sql` at once, reading nothing."""
    s = RawSession(HOST, PORT, USER, DB, ready=False, rcvbuf=rcvbuf)
    s.send(b"Q", sql.encode() + b"\0")
    return s


def read_until(s, kind, limit=30.0):
    """Reads the server's messages up to one of type `kind` (a byte, e.g.
    b"Z"), none of them an error; returns them as (type, body) pairs."""
    try:
        messages = s.read_until(kind + b"E", timeout=limit)
    except socket.timeout:
        raise Failure("no %r message from the server within %.0f s" % (kind, limit))
    expect(messages and messages[-1][0] != b"E", "the server sent an error: %r" % messages[-1][1][:200])
    expect(messages[-1][0] == kind, "the server closed the connection before a %r message" % kind)
    return messages


def newcomer_is_served(behind):
    start = time.monotonic()
    newcomer = Async(lambda: q1(conn(), "SELECT 41 + 1"))
    expect_eq(newcomer.result(10, "a new client's query"), 42, "new client's answer")
    took = time.monotonic() - start
    expect(took < 1.0, "a new client waited %.2f s behind %s" % (took, behind))


def test_stalled_copy_clients_do_not_wedge():
    """Clients that start COPY FROM STDIN and send nothing hold no worker."""
    setup = conn()
    q(setup, "DROP TABLE IF EXISTS stalled_copy")
    q(setup, "CREATE TABLE stalled_copy (k int PRIMARY KEY)")
    socks = []
    try:
        for _ in range(STALLED):
            socks.append(raw_session("COPY stalled_copy FROM STDIN"))
        for s in socks:
            read_until(s, b"G")  # CopyInResponse: the COPY runs and waits for data
        newcomer_is_served("%d stalled COPY clients" % STALLED)
        for i, s in enumerate(socks):
            s.send(b"d", b"%d\n" % i)
            s.send(b"c")
        for s in socks:
            tags = [body for kind, body in read_until(s, b"Z") if kind == b"C"]
            expect_eq(tags, [b"COPY 1\0"], "a resumed COPY's command tag")
        expect_eq(q1(setup, "SELECT count(*) FROM stalled_copy"), STALLED, "rows of the resumed COPYs")
    finally:
        for s in socks:
            s.close()
        setup.close()
    alive()


def test_clients_not_reading_do_not_wedge():
    """Clients that never read their big results hold no worker once the
    server's send queue for them is full."""
    socks = []
    try:
        for _ in range(STALLED):
            # About 20 MB each, far beyond what the socket buffers and the
            # server's send queue hold.
            socks.append(raw_session("SELECT repeat('x', 1000) FROM generate_series(1, 20000)", rcvbuf=4096))
        # Until every statement has filled its queue the machine is busy
        # producing rows (seconds on a loaded 2-core machine), so a newcomer
        # may be slow at first; once they all wait, it must be quick. Where
        # each waiting statement held a worker, no newcomer was served at all.
        time.sleep(2.0)
        for attempt in range(10):
            try:
                newcomer_is_served("%d clients not reading their results" % STALLED)
                break
            except Failure:
                if attempt == 9:
                    raise
        # One of them reads on: its statement resumes and completes.
        messages = read_until(socks[0], b"C", limit=60)  # CommandComplete
        expect_eq(sum(1 for kind, _ in messages if kind == b"D"), 20000, "rows of the resumed result")
    finally:
        for s in socks:
            s.close()
    alive()


def test_pgbench_90_clients_on_one_branch():
    pgbench = "/usr/lib/postgresql/15/bin/pgbench"
    if not os.path.exists(pgbench):
        pgbench = "pgbench"
    env = dict(os.environ, PGHOST=HOST, PGPORT=str(PORT), PGUSER=USER, PGDATABASE=DB)
    init = subprocess.run([pgbench, "-i", "-s", "1", "-q"], env=env, capture_output=True, text=True, timeout=300)
    expect(init.returncode == 0, "pgbench -i failed: %s" % init.stderr[-500:])
    run = subprocess.run([pgbench, "-c", "90", "-j", "2", "-T", "30", "-n"], env=env, capture_output=True, text=True,
                         timeout=240)
    out = run.stdout + run.stderr
    expect(run.returncode == 0, "pgbench -c 90 exited with %d: %s" % (run.returncode, out[-800:]))
    expect("aborted" not in out, "pgbench clients aborted: %s" % out[-800:])
    failed_line = [l for l in out.splitlines() if l.startswith("number of failed transactions")]
    expect(not failed_line or failed_line[0].split(":")[1].strip().startswith("0 "),
           "pgbench transactions failed: %s" % failed_line)
    processed = [l for l in out.splitlines() if "number of transactions actually processed" in l]
    expect(processed, "pgbench printed no totals: %s" % out[-800:])
    done = processed[0].split(":")[1].strip().split("/")[0]
    expect(int(done) > 0, "pgbench processed no transaction")


# ---- idle timeouts -----------------------------------------------------------

def test_idle_in_transaction_timeout_releases_locks():
    setup = conn()
    q(setup, "DROP TABLE IF EXISTS idle_row")
    q(setup, "CREATE TABLE idle_row (id int PRIMARY KEY, v int)")
    q(setup, "INSERT INTO idle_row VALUES (1, 0)")
    forgotten = conn()
    q(forgotten, "SET idle_in_transaction_session_timeout = '500ms'")
    q(forgotten, "BEGIN")
    q(forgotten, "UPDATE idle_row SET v = 1 WHERE id = 1")
    other = conn()
    try:
        q(other, "SET lock_timeout = '10s'")
        start = time.monotonic()
        q(other, "UPDATE idle_row SET v = 2 WHERE id = 1")
        took = time.monotonic() - start
        expect(took < 5.0, "the forgotten transaction held its lock for %.1f s" % took)
        expect_eq(q1(other, "SELECT v FROM idle_row WHERE id = 1"), 2, "the forgotten transaction rolled back")
        try:
            q(forgotten, "SELECT 1")
            raise Failure("the forgotten session still runs statements")
        except psycopg2.Error as e:
            expect("idle-in-transaction timeout" in str(e) or e.pgcode in ("25P03", None),
                   "unexpected error: %s %s" % (e.pgcode, e))
    finally:
        other.close()
        forgotten.close()
        setup.close()


def test_idle_session_timeout():
    c = conn()
    q(c, "SET idle_session_timeout = '300ms'")
    time.sleep(1.2)
    try:
        q(c, "SELECT 1")
        raise Failure("an idle session outlived idle_session_timeout")
    except psycopg2.Error as e:
        expect("idle-session timeout" in str(e) or e.pgcode in ("57P05", None),
               "unexpected error: %s %s" % (e.pgcode, e))
    finally:
        c.close()
    # An active session is not ended by it: statements reset the clock.
    c = conn()
    q(c, "SET idle_session_timeout = '800ms'")
    for _ in range(5):
        time.sleep(0.3)
        q(c, "SELECT 1")
    c.close()


# ---- connection limits (a server with --max-connections 10) -------------------

def test_max_connections_53300():
    if LIMITS_PORT is None:
        return "skip"
    # Only the superuser role exists yet, so the slots it alone may take are
    # pinned by the unit test (tests/unit/wire/connection_slots_test.cpp).
    held = []
    try:
        for _ in range(10):
            held.append(conn(port=LIMITS_PORT, user="tessera"))
        try:
            held.append(conn(port=LIMITS_PORT, user="tessera"))
            raise Failure("an eleventh session was accepted with max_connections 10")
        except psycopg2.OperationalError as e:
            expect("sorry, too many clients already" in str(e), "unexpected refusal: %s" % e)
        held.pop().close()
        time.sleep(0.2)  # the slot is freed as the server ends the session
        held.append(conn(port=LIMITS_PORT, user="tessera"))  # a freed slot is usable again
        expect_eq(q1(held[-1], "SELECT 1"), 1, "a session in a freed slot")
    finally:
        for c in held:
            c.close()


def test_authentication_timeout_drops_silent_socket():
    if LIMITS_PORT is None:
        return "skip"
    s = socket.create_connection((HOST, LIMITS_PORT), timeout=10)
    start = time.monotonic()
    try:
        data = s.recv(1)  # the server closes it after --authentication-timeout 1
        took = time.monotonic() - start
        expect_eq(data, b"", "what a silent client gets")
        expect(took < 5.0, "a silent socket was kept %.1f s" % took)
    except socket.timeout:
        raise Failure("a client that never sent its startup was kept open")
    finally:
        s.close()


def test_socket_flood_refused_and_server_serves():
    if LIMITS_PORT is None:
        return "skip"
    socks = []
    try:
        for _ in range(60):  # more than 2 x max_connections + 16 sockets that never start
            socks.append(socket.create_connection((HOST, LIMITS_PORT), timeout=10))
        refused = 0
        for s in socks[-10:]:
            s.settimeout(3)
            try:
                data = s.recv(200)
            except socket.timeout:
                continue
            if b"53300" in data:
                refused += 1
        expect(refused > 0, "no socket past the limit was refused with 53300")
    finally:
        for s in socks:
            s.close()
    time.sleep(0.5)
    c = conn(port=LIMITS_PORT)
    expect_eq(q1(c, "SELECT 1"), 1, "a session after the flood")
    c.close()


TESTS = [(name[5:], fn) for name, fn in list(globals().items()) if name.startswith("test_") and callable(fn)]

failed = 0
for name, fn in TESTS:
    if SELECTED and name not in SELECTED:
        continue
    try:
        if fn() == "skip":
            continue
        print("PASS overload %s" % name, flush=True)
    except Exception as e:  # noqa: B902 - any failure of a check is reported
        failed += 1
        print("FAIL overload %s: %s: %s" % (name, type(e).__name__, str(e).strip()[:600]), flush=True)
sys.exit(1 if failed else 0)
