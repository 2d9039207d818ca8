"""What the replication tests and the fault harness share: etcd's view of
the groups (their primaries and in-sync sets), `tessera ctl`, and waits for
a group to be whole again."""
import base64
import json
import os
import subprocess
import time
import urllib.request

from cluster_common import Failure


def tessera_bin():
    return os.environ["TESSERA_BIN"]


def etcd_endpoints(env):
    return env.get("ETCD_ENDPOINTS", env["ETCD_URL"]).split(",")


def etcd_post(env, path, body):
    """POSTs to etcd's JSON API, to the first member that answers."""
    error = None
    for url in etcd_endpoints(env):
        req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return json.load(r)
        except OSError as e:
            error = e
    raise Failure("no etcd member answered %s: %s" % (path, error))


def etcd_get(env, key, prefix=False):
    body = {"key": base64.b64encode(key.encode()).decode()}
    if prefix:
        end = key[:-1] + chr(ord(key[-1]) + 1)
        body["range_end"] = base64.b64encode(end.encode()).decode()
    kvs = etcd_post(env, "/v3/kv/range", body).get("kvs", [])
    return {base64.b64decode(kv["key"]).decode(): json.loads(base64.b64decode(kv["value"]).decode()) for kv in kvs}


def ctl(env, *args):
    r = subprocess.run([tessera_bin(), "ctl", "--etcd", ",".join(etcd_endpoints(env))] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=30)
    if r.returncode != 0:
        raise Failure("tessera ctl %s failed: %s %s" % (" ".join(args), r.stdout.strip(), r.stderr.strip()))
    return r.stdout


def node_id(cluster_dir, name):
    with open(os.path.join(cluster_dir, name, "data", "node-id")) as f:
        return f.read().strip()


def wait_in_sync(env, group, members, limit=15.0):
    """Waits until etcd's in-sync set of `group` is exactly `members`."""
    deadline = time.monotonic() + limit
    got = None
    while time.monotonic() < deadline:
        got = sorted(etcd_get(env, "/tessera/groups/%d/insync" % group).get("/tessera/groups/%d/insync" % group, {})
                     .get("members", []))
        if got == sorted(members):
            return
        time.sleep(0.1)
    raise Failure("in-sync set of group %d is %r, want %r" % (group, got, sorted(members)))


def wait_same_checksums(env, group, replicas, limit=20.0):
    """Waits until every replica of `group` is at the same log position with the
    same checksum; returns (position, entries)."""
    deadline = time.monotonic() + limit
    rows = []
    while time.monotonic() < deadline:
        rows = [r for r in json.loads(ctl(env, "checksum", "--group", str(group), "--json"))]
        if len(rows) == replicas and all("error" not in r for r in rows):
            if len({r["position"] for r in rows}) == 1 and len({r["hash"] for r in rows}) == 1:
                return rows[0]["position"], rows[0]["entries"]
        time.sleep(0.2)
    raise Failure("replicas of group %d differ: %s" % (group, [(r.get("role"), r.get("position"), r.get("hash"),
                                                                  r.get("entries"), r.get("error")) for r in rows]))
