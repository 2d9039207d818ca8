"""Shared by tests/cluster/*.py: the cluster's addresses, connections, checks.

Every check prints "PASS <suite> <check>" or "FAIL <suite> <check>: <reason>".
A check runs in a daemon thread under a time limit, so a hang is a FAIL and
never stops the run (the hung session is abandoned).
"""
import os
import subprocess
import time
import traceback

import sys

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import sql_client  # noqa: E402
from sql_client import q, q1  # noqa: E402,F401
from checks import Async, Failure, expect, expect_eq  # noqa: E402,F401

HOST = "127.0.0.1"
USER = "tessera"
DB = "tessera"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLUSTER_SH = os.path.join(ROOT, "scripts", "cluster.sh")


def load_env(cluster_dir):
    """cluster.env as a dict (ETCD_URL, NODE_PORT_<g>, GATEWAY_PORT_<i>, ...)."""
    env = {}
    with open(os.path.join(cluster_dir, "cluster.env")) as f:
        for line in f:
            line = line.strip()
            if "=" in line:
                k, v = line.split("=", 1)
                env[k] = v.strip('"')
    return env


def gateway_ports(env):
    return [int(p) for p in env["GATEWAY_PORTS"].split()]


def connect(port, autocommit=True):
    return sql_client.connect(HOST, port, USER, DB, autocommit)


def close_quietly(conn):
    """Closes a connection that may already be broken (or None)."""
    try:
        if conn is not None:
            conn.close()
    except Exception:  # noqa: BLE001
        pass


def describe(e):
    """'SQLSTATE: first line of the message' of a psycopg2 error."""
    msg = (str(e).strip().splitlines() or [""])[0]
    return "%s: %s" % (getattr(e, "pgcode", None) or "no SQLSTATE", msg)


def cluster_sh(*args):
    """Runs scripts/cluster.sh ARGS (TESSERA_BIN from the environment);
    returns what it printed."""
    r = subprocess.run(["bash", CLUSTER_SH] + [str(a) for a in args], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=60)
    if r.returncode != 0:
        raise Failure("cluster.sh %s failed (%d): %s" % (" ".join(map(str, args)), r.returncode, r.stdout.strip()))
    return r.stdout


def timed_query(port, sql, args=None, limit=20.0):
    """Runs sql on a new connection in a thread. Returns (rows, error, seconds);
    error is a psycopg2.Error or None. Raises Failure when it takes longer than
    `limit` (a hang: the session is abandoned)."""
    def body():
        c = connect(port)
        t0 = time.monotonic()
        try:
            return q(c, sql, args), None, time.monotonic() - t0
        except psycopg2.Error as e:
            return None, e, time.monotonic() - t0
        finally:
            close_quietly(c)

    a = Async(body)
    if not a.wait(limit):
        raise Failure("%r did not return within %.0f s (hang)" % (sql, limit))
    if a.error is not None:
        raise a.error
    return a.value


class Checks:
    def __init__(self, suite):
        self.suite = suite
        self.passed = 0
        self.failed = 0

    def pass_(self, name):
        print("PASS %s %s" % (self.suite, name), flush=True)
        self.passed += 1

    def fail(self, name, reason):
        print("FAIL %s %s: %s" % (self.suite, name, reason), flush=True)
        self.failed += 1

    def run(self, name, fn, limit=60.0):
        """Runs fn() as one check under a time limit. fn returns None or a detail
        string printed after the name; Failure or any exception is a FAIL.
        Returns fn's detail on success, None on failure."""
        a = Async(fn)
        if not a.wait(limit):
            self.fail(name, "timed out after %.0f s (hang)" % limit)
            return None
        e = a.error
        if e is None:
            self.pass_(name if not a.value else "%s (%s)" % (name, a.value))
            return a.value if a.value else ""
        if isinstance(e, Failure):
            self.fail(name, str(e))
        elif isinstance(e, psycopg2.Error):
            self.fail(name, "unexpected error %s" % describe(e))
        else:
            self.fail(name, "".join(traceback.format_exception_only(type(e), e)).strip())
        return None

    def exit(self):
        os._exit(0 if self.failed == 0 else 1)  # abandoned (hung) sessions must not keep us alive
