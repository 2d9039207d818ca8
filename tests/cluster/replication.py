#!/usr/bin/env python3
"""Primary-backup replication (run by replication.sh on a cluster of its own:
2 shard groups of 2 replicas each, one gateway).

    replication.py CLUSTER_DIR

a. Membership: replica 0 of each group is its primary (etcd's primary record
   names its node id, epoch 1), the routing key /tessera/nodes/<g> that
   gateways follow points at it, and the backup joins the in-sync set.
b. Writes through the gateway (autocommit inserts, multi-shard transactions,
   updates, deletes, DDL) are all on the backup: once the group is idle, each
   backup's log position and its checksum of every database equal its
   primary's (`tessera ctl checksum`); the backup never served a gateway
   (a gateway request sent straight to it gets 08006).
c. A backup stopped (SIGSTOP) holds commits back until the primary drops it
   from the in-sync set (about lag_allowed, 1.5 s), not longer; writes go on,
   and `ctl status` shows its lag in records, bytes and seconds; after
   SIGCONT it catches up and is in sync again (no lag), with equal checksums.
d. A backup started after the writes (a new replica of group 0) catches up
   from the primary's log and holds the same data.
e. The primary restarted on its data takes the group back under a higher
   epoch; the backups follow it; no acknowledged row is lost. (The backup is
   paused during the restart, so a slow start cannot let it take over.)
f. Failover: the primary of group 1 is killed (SIGKILL) during a stream of
   autocommit inserts; its in-sync backup takes over once the primary's
   lease has run out (etcd records it as primary at epoch 3, gateways route
   to it), inserts succeed again within a few seconds, every acknowledged
   insert is there; `ctl status` shows the last failover (from, to, epoch,
   how long the primary was silent, how long the takeover took). The old
   primary restarted on its data comes back as a backup (rejoining, or
   refused as diverged) and never takes writes.
g. A paused primary (SIGSTOP for 4 s, longer than its lease) is replaced by
   one of its in-sync backups; when it wakes it acknowledges nothing (every
   acknowledged insert is on the new primary) and exits once etcd tells it
   it was deposed; restarted, it is a backup.
h. etcd stopped for 5 s (longer than every lease) and started again: the
   gateway registers again, and an insert works.
i. `tessera ctl failover --group 0` moves group 0's primary to an in-sync
   backup, and `--to <old primary>` moves it back, while inserts and reads
   run: no statement fails, nothing acknowledged is lost, the epoch rises
   by one per move, `ctl status` shows the move as planned, and the two
   replicas hold the same data; the timestamp oracle moves with group 0's
   primary each time (in check a it is replica 0 of group 0).
"""
import json
import os
import sys
import time

import psycopg2
import psycopg2.errors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from free_ports import free_port  # noqa: E402  (ports outside the ephemeral range)
from cluster_common import (Checks, Failure, close_quietly, cluster_sh, connect, describe, expect, expect_eq,
                            gateway_ports, load_env, q, q1)
from replication_common import ctl, etcd_get, node_id, transport_call, wait_in_sync, wait_same_checksums

SUITE = "cluster-replication"
TSO_LEADER = "/tessera/tso/leader"


def oracle_address(env):
    return etcd_get(env, TSO_LEADER).get(TSO_LEADER, {}).get("address")


def wait_oracle(env, address, limit=5.0):
    """The timestamp oracle is group 0's primary: it moves with it."""
    deadline = time.monotonic() + limit
    while oracle_address(env) != address:
        expect(time.monotonic() < deadline, "the timestamp oracle is not at group 0's primary %s %.0f s after it "
               "took over (it is at %r)" % (address, limit, oracle_address(env)))
        time.sleep(0.05)


def main():
    cluster_dir = sys.argv[1]
    env = load_env(cluster_dir)
    port = gateway_ports(env)[0]
    checks = Checks(SUITE)
    groups = int(env["CLUSTER_GROUPS"])

    def membership():
        for g in range(groups):
            primary = etcd_get(env, "/tessera/groups/%d/primary" % g)["/tessera/groups/%d/primary" % g]
            expect_eq(primary["node"], node_id(cluster_dir, "node%d" % g), "group %d primary node" % g)
            expect_eq(primary["epoch"], 1, "group %d epoch" % g)
            routing = etcd_get(env, "/tessera/nodes/%d" % g)["/tessera/nodes/%d" % g]
            expect_eq(routing["address"], "127.0.0.1:%s" % env["NODE_PORT_%d" % g], "group %d routing address" % g)
            replicas = etcd_get(env, "/tessera/groups/%d/replicas/" % g, prefix=True)
            roles = sorted(v["role"] for v in replicas.values())
            expect_eq(roles, ["backup", "primary"], "group %d replica roles" % g)
            wait_in_sync(env, g, [node_id(cluster_dir, "node%dr1" % g)])
        oracle = etcd_get(env, TSO_LEADER).get(TSO_LEADER, {})
        expect_eq(oracle.get("address"), "127.0.0.1:%s" % env["NODE_PORT_0"],
                  "the timestamp oracle's address (group 0's primary)")
        status = json.loads(ctl(env, "status", "--json"))
        for g in status["groups"]:
            expect_eq(len(g["backups"]), 1, "backups of group %d in ctl status" % g["group"])
            expect(g["backups"][0]["in_sync"], "ctl status shows group %d's backup in sync" % g["group"])
    checks.run("a. replica 0 is the primary, the backup is in sync, gateways route to the primary", membership)

    def writes():
        c = connect(port)
        q(c, "CREATE TABLE r (k int PRIMARY KEY, v text, n bigint)")
        for i in range(0, 600, 50):
            q(c, "INSERT INTO r VALUES " + ", ".join("(%d, 'row %d', %d)" % (k, k, k * 10)
                                                     for k in range(i + 1, i + 51)))
        for i in range(601, 701):
            q(c, "INSERT INTO r VALUES (%d, 'single', %d)" % (i, i))
        t = connect(port, autocommit=False)
        for i in range(20):  # multi-shard transactions: prepare + decision on both groups
            q(t, "UPDATE r SET n = n + 1 WHERE k IN (%d, %d, %d)" % (i + 1, i + 101, i + 201))
            t.commit()
        q(c, "DELETE FROM r WHERE k % 7 = 0")
        q(c, "CREATE INDEX r_v ON r (v)")
        expect_eq(q1(c, "SELECT count(*) FROM r"), 700 - 100, "rows")
        details = []
        for g in range(groups):
            position, entries = wait_same_checksums(env, g, 2)
            expect(position > 20 and entries > 100, "group %d replicated little: position %d, %d entries" %
                   (g, position, entries))
            details.append("group %d: position %d, %d entries" % (g, position, entries))
        return "; ".join(details)
    checks.run("b. every write is on the backup: same log position and checksum as the primary", writes)

    def backup_refuses():
        # A gateway request sent straight to a backup (kRollback, method 5,
        # names no transaction) is refused with 08006; its primary answers it.
        for g in range(groups):
            kind, payload = transport_call(env, "127.0.0.1", int(env["NODE_PORT_%d_1" % g]), 5, b"")
            expect_eq(kind, 4, "frame kind of the backup's answer (kError)")
            expect(payload[:5] == b"08006" and b"is a backup of shard group" in payload,
                   "group %d backup's answer: %r" % (g, payload[:120]))
            kind, payload = transport_call(env, "127.0.0.1", int(env["NODE_PORT_%d" % g]), 5, b"")
            expect(not (kind == 4 and b"is a backup" in payload), "group %d primary refused: %r" % (g, payload[:120]))
    checks.run("b2. a backup refuses gateway requests (08006), its primary serves them", backup_refuses)

    def backup_status(group, node):
        status = json.loads(ctl(env, "status", "--json"))
        for b in status["groups"][group].get("backups", []):
            if b["node"] == node:
                return b
        raise Failure("ctl status lists no backup %s in group %d: %r" % (node, group, status["groups"][group]))

    def stopped_backup():
        c = connect(port)
        backup = "node1r1"
        q(c, "INSERT INTO r VALUES (5001, 'before', 0)")
        cluster_sh("kill-replica", 1, 1, "STOP", cluster_dir)
        try:
            slowest = 0.0
            for i in range(40):
                t0 = time.monotonic()
                q(c, "INSERT INTO r VALUES (%d, 'during', 0)" % (5100 + i))
                slowest = max(slowest, time.monotonic() - t0)
            # Some commit had to wait for the silent backup, then it was dropped.
            expect(slowest >= 0.5, "no commit waited for the stopped backup (slowest %.2f s)" % slowest)
            expect(slowest < 5.0, "a commit waited %.2f s for a stopped backup" % slowest)
            wait_in_sync(env, 1, [])
            # `ctl status` shows how far behind it is: records, bytes, seconds.
            lag = backup_status(1, node_id(cluster_dir, backup))
            expect(lag["in_sync"] is False, "the stopped backup is shown in sync: %r" % lag)
            # The 40 inserts spread over both groups: a few records of group 1's log at least.
            expect(lag["lag_records"] >= 5, "the stopped backup lags %r records" % lag["lag_records"])
            expect(lag["lag_bytes"] >= 5 * 20, "the stopped backup lags %r bytes" % lag["lag_bytes"])
            expect(lag["lag_seconds"] >= 0.5, "the stopped backup lags %r s" % lag["lag_seconds"])
        finally:
            cluster_sh("kill-replica", 1, 1, "CONT", cluster_dir)
        wait_in_sync(env, 1, [node_id(cluster_dir, backup)])
        for i in range(10):
            q(c, "INSERT INTO r VALUES (%d, 'after', 0)" % (5200 + i))
        for g in range(groups):
            wait_same_checksums(env, g, 2)
        caught_up = backup_status(1, node_id(cluster_dir, backup))
        expect(caught_up["in_sync"] and caught_up["lag_records"] == 0 and caught_up["lag_bytes"] == 0 and
               caught_up["lag_seconds"] == 0, "the caught-up backup still shows a lag: %r" % caught_up)
        return "slowest commit while it was stopped: %.2f s; lag shown: %d records, %d bytes, %.1f s" % (
            slowest, lag["lag_records"], lag["lag_bytes"], lag["lag_seconds"])
    checks.run("c. a stopped backup is dropped from the in-sync set, then catches up and rejoins", stopped_backup)

    def late_backup():
        with open(os.path.join(cluster_dir, "cluster.env"), "a") as f:
            f.write("NODE_PORT_0_2=%d\n" % free_port())
        cluster_sh("restart-replica", 0, 2, cluster_dir)
        position, entries = wait_same_checksums(env, 0, 3, limit=30)
        wait_in_sync(env, 0, [node_id(cluster_dir, "node0r1"), node_id(cluster_dir, "node0r2")])
        return "caught up to position %d, %d entries" % (position, entries)
    checks.run("d. a backup started later catches up from the log", late_backup)

    def primary_restart():
        c = connect(port)
        before = q1(c, "SELECT count(*) FROM r")
        # The backup is paused while the primary restarts: a restart slower
        # than the backup's takeover delay (2 s, easily reached on a loaded
        # machine) would rightly let the backup take over instead, which is
        # test f's case, not this one.
        cluster_sh("kill-replica", 1, 1, "STOP", cluster_dir)
        try:
            cluster_sh("kill-node", 1, "KILL", cluster_dir)
            cluster_sh("restart-node", 1, cluster_dir)
        finally:
            cluster_sh("kill-replica", 1, 1, "CONT", cluster_dir)
        primary = etcd_get(env, "/tessera/groups/1/primary")["/tessera/groups/1/primary"]
        expect_eq(primary["node"], node_id(cluster_dir, "node1"), "group 1 primary after restart")
        expect_eq(primary["epoch"], 2, "group 1 epoch after restart")
        # Until the restarted primary holds its lease (its backup answered
        # the new epoch) and the gateway has dropped its connection to the
        # old process, statements on group 1 get 08006: retried here, as a
        # client would, both the insert and the count (which reads group 1
        # even when the inserted key lives on group 0).
        deadline = time.monotonic() + 20
        inserted = False
        while True:
            try:
                c = connect(port)
                if not inserted:
                    try:
                        q(c, "INSERT INTO r VALUES (6001, 'after restart', 0)")
                    except psycopg2.errors.UniqueViolation:
                        pass  # an earlier attempt whose answer was lost did commit
                    inserted = True
                after = q1(c, "SELECT count(*) FROM r")
                break
            except psycopg2.Error:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        expect_eq(after, before + 1, "rows after the primary's restart")
        wait_in_sync(env, 1, [node_id(cluster_dir, "node1r1")])
        wait_same_checksums(env, 1, 2)
        with open(os.path.join(cluster_dir, "node1r1.log")) as f:
            expect("following primary" in f.read(), "the backup followed the new epoch")
    checks.run("e. a restarted primary takes its group back at epoch 2; the backup follows", primary_restart)

    def insert_stream(acked, failed, stop, first_key):
        c = None
        k = first_key
        while not stop.is_set():
            k += 1
            try:
                if c is None:
                    c = connect(port)
                q(c, "INSERT INTO r VALUES (%d, 'stream', 0)" % k)
                acked.append((k, time.monotonic()))
            except psycopg2.Error:
                failed.append((k, time.monotonic()))
                close_quietly(c)
                c = None
                time.sleep(0.05)

    def read_stream(reads, failed, stop):
        """Counts the rows over and over: one-shot reads, which the gateway
        sends again after a failover (so none should fail)."""
        c = None
        while not stop.is_set():
            try:
                if c is None:
                    c = connect(port)
                q1(c, "SELECT count(*) FROM r")
                reads.append(time.monotonic())
            except psycopg2.Error as e:
                failed.append(str(e).strip())
                c = None
                time.sleep(0.05)

    def wait_primary(group, candidates, limit=15.0):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            rec = etcd_get(env, "/tessera/groups/%d/primary" % group).get("/tessera/groups/%d/primary" % group, {})
            if rec.get("node") in candidates:
                return rec
            time.sleep(0.1)
        raise Failure("no takeover of group %d within %.0f s" % (group, limit))

    def check_stream(acked, failed, since, low, high):
        """Every acknowledged insert is there; returns how long the affected
        group was unavailable: until the last failed insert, or the longest
        time without any acknowledgement (a statement hung on a paused node)."""
        after = [ts for _, ts in acked if ts > since]
        fails_after = [ts for _, ts in failed if ts > since]
        expect(after, "no insert succeeded after the fault")
        last_failure = max(fails_after) if fails_after else since
        expect(any(ts > last_failure for ts in after), "inserts still failing at the end")
        points = [since] + sorted(after)
        outage = max([last_failure - since] + [b - a for a, b in zip(points, points[1:])])
        present = {row[0] for row in q(connect(port), "SELECT k FROM r WHERE k > %d AND k < %d" % (low, high))}
        lost = [k for k, _ in acked if k not in present]
        expect(not lost, "%d acknowledged inserts lost, e.g. %s" % (len(lost), lost[:5]))
        return outage

    def failover():
        import threading
        acked, failed = [], []
        stop = threading.Event()
        t = threading.Thread(target=insert_stream, args=(acked, failed, stop, 20000), daemon=True)
        t.start()
        reads, failed_reads = [], []
        reader = threading.Thread(target=read_stream, args=(reads, failed_reads, stop), daemon=True)
        reader.start()
        time.sleep(1.0)
        old_node = node_id(cluster_dir, "node1")
        killed_at = time.monotonic()
        cluster_sh("kill-node", 1, "KILL", cluster_dir)
        new_node = node_id(cluster_dir, "node1r1")
        wait_primary(1, [new_node])
        promoted = time.monotonic() - killed_at
        time.sleep(3.0)
        stop.set()
        t.join(10)
        reader.join(10)
        rec = etcd_get(env, "/tessera/groups/1/primary")["/tessera/groups/1/primary"]
        expect_eq(rec["node"], new_node, "group 1 primary after the kill")
        expect(not failed_reads, "%d reads failed during the failover, e.g. %s" % (len(failed_reads), failed_reads[:2]))
        expect_eq(rec["epoch"], 3, "group 1 epoch after the failover")
        routing = etcd_get(env, "/tessera/nodes/1")["/tessera/nodes/1"]
        expect_eq(routing["address"], "127.0.0.1:%s" % env["NODE_PORT_1_1"], "group 1 routing after the failover")
        outage = check_stream(acked, failed, killed_at, 20000, 30000)
        expect(outage < 10, "group 1 unavailable for %.1f s after the kill" % outage)
        # The gateway sends the inserts the dead primary never started to the
        # new one (cluster_txn_failover.cpp): only those in flight at the
        # kill (their statement, then their commit) may fail; every insert
        # failed for the whole outage before.
        expect(len(failed) <= 3, "%d inserts failed during the failover (at most 3 were in flight)" % len(failed))
        # `ctl status` shows the failover: who took over from whom, and how long it took.
        shown = json.loads(ctl(env, "status", "--json"))["groups"][1].get("last_failover", {})
        expect(shown.get("to") == new_node and shown.get("epoch") == 3 and shown.get("from") == old_node,
               "ctl status's last failover of group 1: %r" % shown)
        expect(1300 <= shown.get("primary_silent_ms", 0) < 10000 and 0 <= shown.get("takeover_ms", -1) < 5000,
               "ctl status's failover durations: %r" % shown)
        text = ctl(env, "status")
        expect("last failover" in text and "took over from %s at epoch 3" % old_node in text,
               "ctl status (text) shows no last failover for group 1:\n%s" % text)
        # The old primary comes back as a backup and never serves.
        cluster_sh("restart-node", 1, cluster_dir)
        rec = etcd_get(env, "/tessera/groups/1/primary")["/tessera/groups/1/primary"]
        expect_eq(rec["node"], new_node, "group 1 primary after the old one restarted")
        kind, payload = transport_call(env, "127.0.0.1", int(env["NODE_PORT_1"]), 5, b"")
        expect(kind == 4 and b"is a backup" in payload, "the old primary refuses gateway requests: %r" % payload[:100])
        q(connect(port), "INSERT INTO r VALUES (30001, 'after failover', 0)")
        return "takeover in etcd %.1f s after the kill, group unavailable for %.1f s; %d acknowledged, %d failed, " \
               "0 lost; %d reads, 0 failed" % (promoted, outage, len(acked), len(failed), len(reads))
    checks.run("f. a killed primary's in-sync backup takes over; no acknowledged insert is lost", failover, limit=60)

    def paused_primary():
        import threading
        acked, failed = [], []
        stop = threading.Event()
        t = threading.Thread(target=insert_stream, args=(acked, failed, stop, 40000), daemon=True)
        t.start()
        time.sleep(1.0)
        with open(os.path.join(cluster_dir, "node0.pid")) as f:
            old_pid = int(f.read().strip())
        paused_at = time.monotonic()
        cluster_sh("kill-node", 0, "STOP", cluster_dir)
        try:
            backups = [node_id(cluster_dir, "node0r1"), node_id(cluster_dir, "node0r2")]
            rec = wait_primary(0, backups)
            promoted = time.monotonic() - paused_at
            time.sleep(max(0.0, 4.0 - (time.monotonic() - paused_at)))
        finally:
            cluster_sh("kill-node", 0, "CONT", cluster_dir)
        woke_at = time.monotonic()
        # Woken, the old primary learns from etcd that it was deposed and
        # exits, while the inserts go on.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(old_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        exited = time.monotonic() - woke_at
        time.sleep(max(0.0, 2.0 - exited))
        stop.set()
        t.join(10)
        expect(exited < 10, "the deposed primary still runs 10 s after it woke")
        expect_eq(rec["epoch"], 2, "group 0 epoch after the takeover")
        outage = check_stream(acked, failed, paused_at, 40000, 50000)
        with open(os.path.join(cluster_dir, "node0.log")) as f:
            expect("was deposed" in f.read(), "the old primary's log says it was deposed")
        cluster_sh("restart-node", 0, cluster_dir)
        kind, payload = transport_call(env, "127.0.0.1", int(env["NODE_PORT_0"]), 5, b"")
        expect(kind == 4 and b"is a backup" in payload, "the old primary refuses gateway requests: %r" % payload[:100])
        return "takeover %.1f s after the pause, group unavailable for %.1f s, old primary exited %.1f s after waking; " \
               "%d acknowledged, %d failed, 0 lost" % (promoted, outage, exited, len(acked), len(failed))
    checks.run("g. a paused primary is replaced, acknowledges nothing once awake, and exits", paused_primary, limit=60)

    def etcd_restart():
        # Stopped for longer than the 3 s leases of every registration: the
        # gateway stayed unregistered for good before (ctl status listed no
        # gateway, and DDL stopped waiting for it to load catalog changes).
        cluster_sh("stop-etcd", cluster_dir)
        time.sleep(5.0)
        cluster_sh("start-etcd", cluster_dir)
        back_at = time.monotonic()
        # etcd revives the leases it had with a fresh TTL: an old registration
        # nobody renews is still there for up to 3 s, so look after that.
        time.sleep(4.0)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not etcd_get(env, "/tessera/gateways/", prefix=True):
            time.sleep(0.2)
        expect_eq(len(etcd_get(env, "/tessera/gateways/", prefix=True)), 1, "gateways registered after etcd came back")
        deadline = time.monotonic() + 20
        while True:
            try:
                q(connect(port), "INSERT INTO r VALUES (60001, 'after etcd', 0)")
                break
            except psycopg2.Error:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return "an insert succeeded %.1f s after etcd came back" % (time.monotonic() - back_at)
    checks.run("h. after etcd was stopped for 5 s, the gateway registers again and statements work", etcd_restart,
               limit=60)

    def planned_move():
        # Whatever f-h left: group 0's primary now, and its in-sync backups.
        import threading
        key = "/tessera/groups/0/primary"
        before = etcd_get(env, key)[key]
        deadline = time.monotonic() + 15
        while True:
            members = etcd_get(env, "/tessera/groups/0/insync")["/tessera/groups/0/insync"].get("members", [])
            if members or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        expect(members, "group 0 has no in-sync backup to move its primary to")
        acked, failed, reads, failed_reads = [], [], [], []
        stop = threading.Event()
        writer = threading.Thread(target=insert_stream, args=(acked, failed, stop, 70000), daemon=True)
        reader = threading.Thread(target=read_stream, args=(reads, failed_reads, stop), daemon=True)
        writer.start()
        reader.start()
        time.sleep(1.0)
        moved_at = time.monotonic()
        text = ctl(env, "failover", "--group", "0")
        took = time.monotonic() - moved_at
        after = etcd_get(env, key)[key]
        expect(after["node"] in members and after["epoch"] == before["epoch"] + 1,
               "group 0's primary after the move: %r (was %r, in sync %r)" % (after, before, members))
        expect("primary moved from %s to %s" % (before["node"], after["node"]) in text, "ctl failover said: %s" % text)
        wait_oracle(env, after["address"])
        # The old primary follows as a backup, in sync at once; then the
        # primary moves back to it, by name.
        deadline = time.monotonic() + 15
        while before["node"] not in etcd_get(env, "/tessera/groups/0/insync")["/tessera/groups/0/insync"]["members"]:
            expect(time.monotonic() < deadline, "the old primary is not in sync 15 s after the move")
            time.sleep(0.1)
        time.sleep(1.0)
        ctl(env, "failover", "--group", "0", "--to", before["node"])
        back = etcd_get(env, key)[key]
        expect(back["node"] == before["node"] and back["epoch"] == before["epoch"] + 2,
               "group 0's primary after moving back: %r" % back)
        wait_oracle(env, back["address"])
        time.sleep(1.0)
        stop.set()
        writer.join(10)
        reader.join(10)
        # A planned move fails no statement: the gateway sends the refused
        # ones again to the new primary.
        expect(not failed, "%d inserts failed during the planned moves, e.g. key %s" % (len(failed), failed[:1]))
        expect(not failed_reads, "%d reads failed during the planned moves: %s" % (len(failed_reads),
                                                                                failed_reads[:1]))
        pause = check_stream(acked, failed, moved_at, 70000, 80000)
        shown = json.loads(ctl(env, "status", "--json"))["groups"][0].get("last_failover", {})
        expect(shown.get("planned") is True and shown.get("to") == before["node"],
               "ctl status's last failover of group 0: %r" % shown)
        # The two replicas that swapped roles hold the same data.
        pair = {before["node"], after["node"]}
        deadline = time.monotonic() + 20
        while True:
            rows = [r for r in json.loads(ctl(env, "checksum", "--group", "0", "--json")) if r["node"] in pair]
            if len(rows) == 2 and len({(r.get("position"), r.get("hash")) for r in rows}) == 1:
                break
            expect(time.monotonic() < deadline, "the two replicas differ after the moves: %r" % rows)
            time.sleep(0.2)
        return "moved in %.2f s (ctl), longest pause between acknowledged inserts %.2f s; %d inserts, %d reads, " \
               "0 failed, 0 lost" % (took, pause, len(acked), len(reads))
    checks.run("i. tessera ctl failover moves a primary to its backup and back; no statement fails", planned_move,
               limit=90)

    checks.exit()


if __name__ == "__main__":
    main()
