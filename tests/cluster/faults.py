#!/usr/bin/env python3
"""Storage node failures (run by faults.sh on a cluster of its own, 3 groups).

    faults.py CLUSTER_DIR

Table t(k int primary key, v bigint), rows 1..300. Which group holds a key is
found black-box: with storage node g killed (SIGKILL, so a query that needs it
fails at once with "connection refused" rather than after the 5 s timeout),
a point query on k (a full primary key goes to one shard only) fails exactly
when k is on g; the node is then restarted. Keys 2001.. are mapped the same
way (a point query on a missing key goes to its shard too) and used for
inserts.

a. For every group g: SIGSTOP node g. A point read and an update of a key on
   g, and SELECT count(*), fail with 08006 within FAULT_BOUND (6.5 s; the
   gateway waits 5 s for a silent node); meanwhile and afterwards reads and
   writes on the other groups succeed. After SIGCONT everything works again:
   the rows are right (the UPDATE that failed is in doubt: either value), and
   neither that UPDATE nor a transaction that was open across the stop and
   rolled back during it leaves a row lock behind.
b. SIGKILL node FAULT_KILL_GROUP during a write workload: two writers (one
   per gateway) insert single rows (autocommit) over all groups, and an
   updater commits multi-shard transactions (the same value into a pair of
   rows on two groups). Queries that need the node fail with 08006 quickly,
   inserts on other groups go on being acknowledged. The node restarts on its
   data; then every write acknowledged before or during the kill is there
   with its value, an unacknowledged one may or may not be, nothing else is;
   every pair of rows is equal (2PC atomicity) and holds its last
   acknowledged value or a later in-doubt one; a new multi-shard transaction
   commits; both gateways read the same table.
The measured failure latencies are printed in the PASS lines.
"""
import os
import sys
import threading
import time

import psycopg2

from cluster_common import (Async, Checks, Failure, cluster_sh, connect, describe, expect, expect_eq, gateway_ports,
                            load_env, q, q1, timed_query)

SUITE = "cluster-faults"
DIR = sys.argv[1]
env = load_env(DIR)
GW = gateway_ports(env)
GROUPS = int(env["CLUSTER_GROUPS"])
BOUND = float(os.environ.get("FAULT_BOUND", "6.5"))  # seconds an error may take (node timeout 5 s + slack)
HANG = 25.0  # a statement still running after this long is a hang
KILL_GROUP = int(os.environ.get("FAULT_KILL_GROUP", "1")) % GROUPS
KILL_SECONDS = float(os.environ.get("FAULT_KILL_SECONDS", "5"))  # the node stays dead this long
BASE = list(range(1, 301))
POOL = list(range(2001, 4001))  # missing keys, mapped too: inserted later
# In doubt: the statement may or may not have committed. 08006: the node did
# not answer; 40001: DESIGN.md's other "clear error" when a node restarts
# under a transaction.
FAILURE_STATES = {"08006", "40001"}

checks = Checks(SUITE)
group_of = {}
free_pool = []  # pool keys not used yet, in order
expected = {}  # key -> value of every row acknowledged outside the kill workload (None: deleted)


def run_or_exit(name, fn, limit=60.0):
    if checks.run(name, fn, limit) is None:
        checks.exit()


def keys_on(g, keys=BASE):
    return [k for k in keys if group_of.get(k) == g]


def take(g):
    """A free pool key on group g (None: any group)."""
    for i, k in enumerate(free_pool):
        if g is None or group_of[k] == g:
            return free_pool.pop(i)
    raise Failure("no free pool key left on group %s" % g)


def kill9(g):
    """kill -9 storage node g and wait until the process is gone: cluster.sh
    restart-node right away could find the port still taken by the dying one."""
    with open(os.path.join(DIR, "node%d.pid" % g)) as f:
        pid = int(f.read().strip())
    cluster_sh("kill-node", g, "KILL", DIR)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 20:
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.02)
    raise Failure("storage node %d (pid %d) still runs 20 s after SIGKILL" % (g, pid))


def wait_answers(keys, limit=30.0):
    """Polls until point reads of `keys` succeed on every gateway; returns seconds."""
    t0 = time.monotonic()
    last = "no attempt"
    while time.monotonic() - t0 < limit:
        try:
            for port in GW:
                c = connect(port)
                try:
                    for k in keys:
                        q(c, "SELECT v FROM t WHERE k = %s", (k,))
                finally:
                    c.close()
            return time.monotonic() - t0
        except psycopg2.Error as e:
            last = describe(e)
            time.sleep(0.1)
    raise Failure("point reads still fail %.0f s later: %s" % (limit, last))


# --- setup and the key -> group map ---------------------------------------------

def setup():
    expect(GROUPS >= 2, "needs 2 or more shard groups, the cluster has %d" % GROUPS)
    c = connect(GW[0])
    q(c, "DROP TABLE IF EXISTS t")
    q(c, "CREATE TABLE t (k int PRIMARY KEY, v bigint NOT NULL)")
    q(c, "INSERT INTO t SELECT g, g * 10 FROM generate_series(1, 300) g")
    for port in GW:
        expect_eq(q1(connect(port), "SELECT count(*) FROM t"), 300, "count(*) on gateway port %d" % port)
    for k in BASE:
        expected[k] = k * 10
    return "300 rows"


def map_keys():
    c = None
    for g in range(GROUPS):
        kill9(g)
        try:
            c = connect(GW[0])
            for k in BASE + POOL:
                try:
                    q(c, "SELECT v FROM t WHERE k = %s", (k,))
                except psycopg2.Error as e:
                    if e.pgcode != "08006":
                        raise Failure("point read of k = %d with node %d killed: %s, want 08006 or success" %
                                      (k, g, describe(e)))
                    if k in group_of:
                        raise Failure("k = %d fails with node %d and with node %d killed" % (k, group_of[k], g))
                    group_of[k] = g
            c.close()
        finally:
            cluster_sh("restart-node", g, DIR)
        mine = keys_on(g)
        expect(mine, "no row of 1..300 is on group %d" % g)
        wait_answers(mine[:3])
    missing = [k for k in BASE + POOL if k not in group_of]
    expect(not missing, "%d keys are on no group (no kill made their point read fail): %s" % (
        len(missing), missing[:5]))
    free_pool.extend(POOL)
    return "rows per group: %s" % ", ".join("%d: %d" % (g, len(keys_on(g))) for g in range(GROUPS))


# --- a. SIGSTOP ------------------------------------------------------------------

def stop_round(g):
    """SIGSTOPs node g, runs the statements, SIGCONTs. Returns the outcomes."""
    k_read = keys_on(g)[0]
    others = [h for h in range(GROUPS) if h != g]
    other_reads = [(h, keys_on(h)[0]) for h in others]
    # Rows of their own (nothing later touches them), so that what this round
    # leaves behind cannot spill into later checks.
    k_write, k_txn = take(g), take(g)
    c = connect(GW[0])
    for k in (k_write, k_txn):
        q(c, "INSERT INTO t VALUES (%s, %s)", (k, k))
        expected[k] = k
    out = {"k_write": k_write, "k_txn": k_txn, "inserted": {}}
    # A transaction that holds a row lock on g across the stop.
    txn = connect(GW[0])
    q(txn, "BEGIN")
    q(txn, "UPDATE t SET v = v + 1 WHERE k = %s", (k_txn,))

    def other_ops():
        """Reads and inserts on the other groups; returns [(what, error, seconds)]."""
        res = []
        other_inserts = [(h, take(h)) for h in others]
        for i, port in enumerate(GW):
            for h, k in other_reads:
                rows, err, sec = timed_query(port, "SELECT v FROM t WHERE k = %s", (k,), HANG)
                if err is None and rows != [(expected[k],)]:
                    err = Failure("got %r, want %r" % (rows, [(expected[k],)]))
                res.append(("read k=%d (group %d) on gateway %d" % (k, h, i), err, sec))
        for h, k in other_inserts:
            rows, err, sec = timed_query(GW[1], "INSERT INTO t VALUES (%s, %s)", (k, k), HANG)
            if err is None:
                out["inserted"][k] = k
            res.append(("insert k=%d (group %d) on gateway 1" % (k, h), err, sec))
        return res

    def rollback():
        t0 = time.monotonic()
        try:
            q(txn, "ROLLBACK")
            return None, time.monotonic() - t0
        except psycopg2.Error as e:
            return e, time.monotonic() - t0

    cluster_sh("kill-node", g, "STOP", DIR)
    try:
        point = Async(lambda: timed_query(GW[0], "SELECT v FROM t WHERE k = %s", (k_read,), HANG))
        count = Async(lambda: timed_query(GW[1], "SELECT count(*) FROM t", None, HANG))
        update = Async(lambda: timed_query(GW[0], "UPDATE t SET v = v + 1 WHERE k = %s", (k_write,), HANG))
        during = Async(other_ops)
        for name, a in (("point", point), ("count", count), ("update", update), ("during", during)):
            a.wait(HANG + 5)
            out[name] = a
        # Once the node has been silent for a while: again, one after another.
        out["point2"] = Async(lambda: timed_query(GW[1], "SELECT v FROM t WHERE k = %s", (k_read,), HANG))
        out["point2"].wait(HANG + 5)
        out["after"] = Async(other_ops)
        out["after"].wait(HANG * 4)
        out["rollback"] = Async(rollback)
        out["rollback"].wait(HANG)
    finally:
        cluster_sh("kill-node", g, "CONT", DIR)
    out["t_cont"] = time.monotonic()
    try:
        out["recovery"] = wait_answers([k_read, k_write], 30.0)
        out["recovery_error"] = None
    except Failure as e:
        out["recovery_error"] = e
    return out


def expect_fails_08006(a, what):
    expect(a.done.is_set(), "%s did not return within %.0f s (hang)" % (what, HANG))
    if a.error is not None:
        raise a.error
    rows, err, sec = a.value
    expect(err is not None, "%s succeeded (%r) with the node stopped" % (what, rows))
    expect(err.pgcode == "08006", "%s failed with %s, want 08006" % (what, describe(err)))
    expect(sec <= BOUND, "%s failed with 08006 only after %.2f s (bound %.1f s): %s" % (what, sec, BOUND, describe(err)))
    return "08006 in %.2f s: %s" % (sec, describe(err).split(": ", 1)[1])


def expect_ops_ok(a, when):
    expect(a.done.is_set(), "the statements on the other groups (%s) did not finish (hang)" % when)
    if a.error is not None:
        raise a.error
    bad = [(w, e, s) for w, e, s in a.value if e is not None]
    expect(not bad, "%s: %s" % (when, "; ".join("%s: %s after %.2f s" % (w, describe(e), s) for w, e, s in bad)))
    what, _, slow = max(a.value, key=lambda x: x[2])
    expect(slow <= BOUND, "%s: %s took %.2f s" % (when, what, slow))
    return "%.2f s (%s)" % (slow, what)


def update_until_free(c, k, limit):
    """UPDATEs row k (lock_timeout 2s) until it works; returns (first error, seconds) or (None, 0)."""
    q(c, "SET lock_timeout = '2s'")
    t0 = time.monotonic()
    first = None
    while True:
        try:
            q(c, "UPDATE t SET v = v WHERE k = %s", (k,))
            return first, time.monotonic() - t0
        except psycopg2.Error as e:
            first = first or e
            if time.monotonic() - t0 > limit:
                raise Failure("UPDATE of k=%d (lock_timeout 2s) still fails after %.0f s of retries: %s" %
                              (k, time.monotonic() - t0, describe(first)))


def sigstop_checks(g):
    res = {}

    def run():
        res.update(stop_round(g))

    tag = "SIGSTOP node %d:" % g
    if checks.run("%s stop and SIGCONT" % tag, run, HANG * 8) is None:
        return
    checks.run("%s point read of its key fails" % tag, lambda: expect_fails_08006(res["point"], "the point read"))
    checks.run("%s count(*) fails" % tag, lambda: expect_fails_08006(res["count"], "SELECT count(*)"))
    checks.run("%s update of its key fails" % tag, lambda: expect_fails_08006(res["update"], "the UPDATE"))
    checks.run("%s point read again fails" % tag, lambda: expect_fails_08006(res["point2"], "the second point read"))

    def others():
        a = expect_ops_ok(res["during"], "while statements on node %d waited" % g)
        b = expect_ops_ok(res["after"], "after they failed")
        return "reads on both gateways and inserts; slowest %s meanwhile, %s after" % (a, b)

    checks.run("%s reads and writes on other groups succeed" % tag, others)

    def recovered():
        if res["recovery_error"] is not None:
            raise res["recovery_error"]
        c = connect(GW[1])
        for k, v in res["inserted"].items():
            expected[k] = v
        # The timed-out UPDATE is in doubt: the node may have applied it after SIGCONT.
        k = res["k_write"]
        v = q(c, "SELECT v FROM t WHERE k = %s", (k,))
        expect(v in ([(k,)], [(k + 1,)]), "k=%d after the UPDATE in doubt: %r, want %d or %d" % (k, v, k, k + 1))
        expected[k] = v[0][0]
        try:
            err, sec = update_until_free(c, k, 5)
        except Failure as e:
            raise Failure("%s (k=%d is the row of the UPDATE that failed with 08006 while node %d was stopped: "
                          "its row lock outlives it)" % (e, k, g))
        if err is not None:
            raise Failure("UPDATE of k=%d (group %d), the row of the UPDATE that failed with 08006, after SIGCONT: "
                          "%s, for %.1f s" % (k, g, describe(err), sec))
        got = dict(q(c, "SELECT k, v FROM t"))
        want = {k: v for k, v in expected.items() if v is not None}
        expect_eq(len(got), len(want), "count(*) after SIGCONT")
        wrong = [(k, got.get(k), v) for k, v in want.items() if got.get(k) != v]
        expect(not wrong, "rows differ after SIGCONT (k, got, want): %s" % wrong[:5])
        return "answers again %.1f s after SIGCONT" % res["recovery"]

    checks.run("%s works again after SIGCONT" % tag, recovered, 60)

    def txn_released():
        # BEGIN; UPDATE k_txn (a row on g) before the stop; ROLLBACK while the
        # node was stopped (and, by then, no longer registered in etcd). Either
        # outcome of the ROLLBACK is fine; the row lock must not outlive it.
        a = res["rollback"]
        expect(a.done.is_set(), "ROLLBACK did not return within %.0f s (hang)" % HANG)
        err, sec = a.value
        how = "ROLLBACK during the stop %s in %.2f s" % ("succeeded" if err is None else describe(err), sec)
        c = connect(GW[1])
        k = res["k_txn"]
        try:
            lock_err, lock_sec = update_until_free(c, k, 5)
        except Failure as e:
            raise Failure("%s; %s (the rolled-back transaction's row lock on node %d is still held)" % (how, e, g))
        expect(lock_err is None, "%s; UPDATE of k=%d after SIGCONT failed with %s for %.1f s" %
               (how, k, describe(lock_err) if lock_err else "", lock_sec))
        expect_eq(q(c, "SELECT v FROM t WHERE k = %s", (k,)), [(k,)], "k=%d after the ROLLBACK" % k)
        return how

    checks.run("%s a transaction rolled back during the stop leaves no lock" % tag, txn_released, 60)


# --- b. SIGKILL during writes --------------------------------------------------------

class Workload:
    def __init__(self, g):
        self.g = g
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.inserts = {}  # key -> ("ack" | "doubt", value, time, seconds, error)
        self.unexpected = []
        self.pairs = []
        self.pair_log = []  # per pair: [(i, "ack" | "doubt" | "aborted", error)]
        self.threads = []

    def note(self, where, e):
        with self.lock:
            if len(self.unexpected) < 10:
                self.unexpected.append("%s: %s" % (where, describe(e) if isinstance(e, psycopg2.Error) else e))

    def writer(self, w, keys):
        c = None
        for k in keys:
            if self.stop.is_set():
                return
            try:
                if c is None:
                    c = connect(GW[w % len(GW)])
                t0 = time.monotonic()
                try:
                    q(c, "INSERT INTO t VALUES (%s, %s)", (k, k * 3))
                    self.inserts[k] = ("ack", k * 3, time.monotonic(), time.monotonic() - t0, None)
                except psycopg2.Error as e:
                    self.inserts[k] = ("doubt", k * 3, time.monotonic(), time.monotonic() - t0, e)
                    if e.pgcode not in FAILURE_STATES:
                        self.note("writer %d, INSERT k=%d" % (w, k), e)
                    if c.closed:
                        c = None
            except psycopg2.Error as e:  # connect
                self.note("writer %d, connect" % w, e)
                c = None
                time.sleep(0.1)
            time.sleep(0.02)
        self.note("writer %d" % w, "ran out of keys (a test limit: make POOL larger)")

    def updater(self):
        c = None
        i = 0
        while not self.stop.is_set():
            i += 1
            p = (i - 1) % len(self.pairs)
            a, b = self.pairs[p]
            state = "aborted"
            try:
                if c is None:
                    c = connect(GW[0])
                q(c, "BEGIN")
                q(c, "UPDATE t SET v = %s WHERE k = %s", (i, a))
                q(c, "UPDATE t SET v = %s WHERE k = %s", (i, b))
                state = "doubt"
                with c.cursor() as cur:
                    cur.execute("COMMIT")
                    if cur.statusmessage != "COMMIT":
                        raise Failure("COMMIT answered %s" % cur.statusmessage)
                self.pair_log[p].append((i, "ack", None))
            except (psycopg2.Error, Failure) as e:
                self.pair_log[p].append((i, state, e))
                if getattr(e, "pgcode", None) not in FAILURE_STATES:
                    self.note("updater, transaction %d (k=%d, k=%d) %s" %
                              (i, a, b, "at COMMIT" if state == "doubt" else "before COMMIT"), e)
                if c is not None and not c.closed:
                    try:
                        q(c, "ROLLBACK")
                    except psycopg2.Error:
                        pass
                else:
                    c = None
            time.sleep(0.01)

    def start(self, pairs):
        self.pairs = pairs
        self.pair_log = [[] for _ in pairs]
        keys = list(free_pool)
        del free_pool[:]
        for w in range(2):
            self.threads.append(threading.Thread(target=self.writer, args=(w, keys[w::2]), daemon=True))
        self.threads.append(threading.Thread(target=self.updater, daemon=True))
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(HANG + 5)
        return sum(t.is_alive() for t in self.threads)


def pre_kill_writes():
    """Acknowledged writes over every group, recorded in `expected`."""
    c = connect(GW[0])
    q(c, "BEGIN")
    q(c, "UPDATE t SET v = k * 10 + 1 WHERE k BETWEEN 1 AND 200")
    q(c, "UPDATE t SET v = 0 WHERE k BETWEEN 201 AND 300")
    q(c, "COMMIT")
    for k in range(1, 201):
        expected[k] = k * 10 + 1
    for k in range(201, 301):
        expected[k] = 0
    new = [take(h) for h in range(GROUPS) for _ in range(20)]
    q(c, "INSERT INTO t VALUES " + ", ".join("(%d, %d)" % (k, k * 7) for k in new))
    for k in new:
        expected[k] = k * 7
    q(c, "DELETE FROM t WHERE k BETWEEN 191 AND 200")
    for k in range(191, 201):
        expected[k] = None
    c1 = connect(GW[1])
    for k in range(1, 10):
        q(c1, "UPDATE t SET v = %s WHERE k = %s", (-k, k))
        expected[k] = -k
    return "%d rows" % len(expected)


def make_pairs(g):
    """Pairs of keys from 201..300 on different groups, some with a key on g, some without."""
    by_group = {h: keys_on(h, range(201, 301)) for h in range(GROUPS)}
    pairs = []
    others = [h for h in range(GROUPS) if h != g]
    for j in range(4):
        h = others[j % len(others)]
        if by_group[g] and by_group[h]:
            pairs.append((by_group[g].pop(), by_group[h].pop()))
    if len(others) >= 2:
        for _ in range(4):
            if by_group[others[0]] and by_group[others[1]]:
                pairs.append((by_group[others[0]].pop(), by_group[others[1]].pop()))
    expect(pairs, "no pairs of keys on two groups in 201..300")
    return pairs


def sigkill_checks(g):
    tag = "SIGKILL node %d during writes:" % g
    run_or_exit("%s acknowledged writes before the kill" % tag, pre_kill_writes)
    on_g = keys_on(g, range(1, 191))
    off_g = [keys_on(h, range(1, 191))[0] for h in range(GROUPS) if h != g]
    wl = Workload(g)
    res = {}
    pairs = make_pairs(g)
    for a, b in pairs:  # the pairs check covers these rows
        del expected[a], expected[b]

    def run():
        wl.start(pairs)
        try:
            time.sleep(2)
            kill9(g)
            res["t_kill"] = time.monotonic()
            time.sleep(0.3)
            res["point"] = Async(lambda: timed_query(GW[0], "SELECT v FROM t WHERE k = %s", (on_g[0],), HANG))
            res["count"] = Async(lambda: timed_query(GW[1], "SELECT count(*) FROM t", None, HANG))
            res["others"] = [Async(lambda k=k, p=p: timed_query(p, "SELECT v FROM t WHERE k = %s", (k,), HANG))
                             for k in off_g for p in GW]
            for a in [res["point"], res["count"]] + res["others"]:
                a.wait(HANG + 5)
            time.sleep(max(0.0, res["t_kill"] + KILL_SECONDS - time.monotonic()))
            res["t_restart"] = time.monotonic()
            cluster_sh("restart-node", g, DIR)
            res["back"] = wait_answers(on_g[:3], 30.0)
            time.sleep(2)
        finally:
            res["hung"] = wl.finish()
        return "node down %.1f s; answers %.1f s after the restart" % (res["t_restart"] - res["t_kill"], res["back"])

    if checks.run("%s kill and restart" % tag, run, 120) is None:
        wl.stop.set()
        return
    checks.run("%s point read of its key fails" % tag, lambda: expect_fails_08006(res["point"], "the point read"))
    checks.run("%s count(*) fails" % tag, lambda: expect_fails_08006(res["count"], "SELECT count(*)"))

    def others_ok():
        slow = 0.0
        for a in res["others"]:
            expect(a.done.is_set(), "a read on another group did not return (hang)")
            if a.error is not None:
                raise a.error
            rows, err, sec = a.value
            if err is not None:
                raise Failure("a point read on another group failed after %.2f s: %s" % (sec, describe(err)))
            slow = max(slow, sec)
        return "slowest %.2f s" % slow

    checks.run("%s reads on other groups succeed" % tag, others_ok)

    def no_hang():
        expect(res["hung"] == 0, "%d workload threads still busy %.0f s after the end (hang)" % (res["hung"], HANG))

    checks.run("%s workload threads finished" % tag, no_hang)

    down_from, down_to = res["t_kill"] + 0.5, res["t_restart"]

    def inserts_during():
        acked_other = [k for k, s in wl.inserts.items()
                       if s[0] == "ack" and down_from < s[2] < down_to and group_of[k] != g]
        acked_g = [k for k, s in wl.inserts.items()
                   if s[0] == "ack" and down_from < s[2] < down_to and group_of[k] == g]
        failed = [s for s in wl.inserts.values() if s[0] == "doubt"]
        expect(acked_other, "no insert on another group was acknowledged while node %d was down" % g)
        expect(not acked_g, "%d inserts on group %d acknowledged while its node was dead: %s" %
               (len(acked_g), g, acked_g[:5]))
        slow = max([s[3] for s in failed] + [0.0])
        expect(slow <= BOUND, "a failed INSERT took %.2f s" % slow)
        return "%d acknowledged on other groups while it was down; %d failed, slowest failure %.2f s" % (
            len(acked_other), len(failed), slow)

    checks.run("%s inserts on other groups go on" % tag, inserts_during)

    def errors_ok():
        expect(not wl.unexpected, "errors besides 08006/40001: %s" % "; ".join(wl.unexpected[:5]))
        codes = {}
        for s in wl.inserts.values():
            if s[4] is not None:
                codes[s[4].pgcode] = codes.get(s[4].pgcode, 0) + 1
        for log in wl.pair_log:
            for _, _, e in log:
                if e is not None:
                    code = getattr(e, "pgcode", None)
                    codes[code] = codes.get(code, 0) + 1
        return ", ".join("%s x%d" % (k, v) for k, v in sorted(codes.items(), key=str)) or "no errors"

    checks.run("%s workload errors are 08006 or 40001" % tag, errors_ok)

    state = {}

    def read_all():
        views = [dict(q(connect(p), "SELECT k, v FROM t")) for p in GW]
        state["rows"] = views[0]
        expect(views[0] == views[1], "gateway 0 reads %d rows, gateway 1 %d; %d keys differ" % (
            len(views[0]), len(views[1]), len(set(views[0].items()) ^ set(views[1].items()))))
        return "%d rows" % len(views[0])

    if checks.run("after the restart both gateways read the same table", read_all) is None:
        return
    rows = state["rows"]

    def before_ok():
        wrong = [(k, rows.get(k), v) for k, v in expected.items() if rows.get(k) != v]
        expect(not wrong, "%d of %d rows differ (k, got, want; None = absent): %s" % (
            len(wrong), len(expected), wrong[:8]))
        return "%d rows" % len(expected)

    checks.run("%s acknowledged writes before the kill survive" % tag, before_ok)

    def during_ok():
        acked = {k: s[1] for k, s in wl.inserts.items() if s[0] == "ack"}
        doubt = {k: s[1] for k, s in wl.inserts.items() if s[0] == "doubt"}
        lost = [(k, rows.get(k), v) for k, v in acked.items() if rows.get(k) != v]
        expect(not lost, "%d of %d acknowledged inserts are missing or wrong (k, got, want): %s (groups %s)" % (
            len(lost), len(acked), lost[:8], sorted({group_of[k] for k, _, _ in lost})))
        bad = [(k, rows[k], v) for k, v in doubt.items() if k in rows and rows[k] != v]
        expect(not bad, "inserts in doubt present with a wrong value: %s" % bad[:5])
        stray = [k for k in rows if k >= POOL[0] and k not in acked and k not in doubt and k not in expected]
        expect(not stray, "%d rows nobody wrote: %s" % (len(stray), stray[:5]))
        present = sum(1 for k in doubt if k in rows)
        return "%d acknowledged all present; %d in doubt, %d of them present" % (len(acked), len(doubt), present)

    checks.run("%s acknowledged inserts survive" % tag, during_ok)

    def pairs_ok():
        n_ack = n_doubt = n_aborted = 0
        problems = []
        for (a, b), log in zip(wl.pairs, wl.pair_log):
            va, vb = rows.get(a), rows.get(b)
            acked = [i for i, s, _ in log if s == "ack"]
            last = acked[-1] if acked else 0
            doubt = {i for i, s, _ in log if s == "doubt" and i > last}
            aborted = {i for i, s, _ in log if s == "aborted"}
            n_ack += len(acked)
            n_doubt += sum(1 for _, s, _ in log if s == "doubt")
            n_aborted += len(aborted)
            if va != vb:
                problems.append("k=%d (group %d) has %s but k=%d (group %d) has %s: half a transaction" %
                                (a, group_of[a], va, b, group_of[b], vb))
            elif va != last and va not in doubt:
                why = "an aborted transaction's" if va in aborted else "not the last acknowledged"
                problems.append("pair k=%d,%d holds %s (%s value), last acknowledged %d, in doubt %s" %
                                (a, b, va, why, last, sorted(doubt)))
        expect(n_ack > 0, "no multi-shard transaction was acknowledged")
        expect(not problems, "; ".join(problems[:4]))
        return "%d pairs; %d acknowledged, %d in doubt, %d rolled back" % (len(wl.pairs), n_ack, n_doubt, n_aborted)

    checks.run("%s multi-shard transactions atomic and durable" % tag, pairs_ok)

    def two_pc_after():
        ks = [keys_on(h, range(1, 191))[-1] for h in range(GROUPS)]
        c = connect(GW[0])
        q(c, "BEGIN")
        for k in ks:
            q(c, "UPDATE t SET v = 777000 + k WHERE k = %s", (k,))
        q(c, "COMMIT")
        got = q(connect(GW[1]), "SELECT k, v FROM t WHERE k IN (%s) ORDER BY k" % ",".join(map(str, ks)))
        expect_eq(got, sorted((k, 777000 + k) for k in ks), "rows on gateway 1 after the transaction")
        return "UPDATE on groups %s in one transaction" % sorted(group_of[k] for k in ks)

    checks.run("%s multi-shard transaction after the restart" % tag, two_pc_after)


def main():
    run_or_exit("setup", setup)
    run_or_exit("map keys to groups (kill -9 and restart each node)", map_keys, 180)
    for g in range(GROUPS):
        sigstop_checks(g)
    sigkill_checks(KILL_GROUP)
    checks.exit()


if __name__ == "__main__":
    main()
