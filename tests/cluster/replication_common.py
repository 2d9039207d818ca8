"""What the replication tests and the fault harness share: etcd's view of
the groups (their primaries and in-sync sets), `tessera ctl`, and waits for
a group to be whole again."""
import base64
import json
import os
import socket
import ssl
import struct
import subprocess
import time
import urllib.request

from cluster_common import Failure


def tessera_bin():
    return os.environ["TESSERA_BIN"]


def etcd_endpoints(env):
    return env.get("ETCD_ENDPOINTS", env["ETCD_URL"]).split(",")


def etcd_tls_context(env, client_certificate=True):
    """For an https:// etcd (CLUSTER_ETCD_TLS=1): trusts the cluster's CA and
    presents its certificate (etcd then runs with --client-cert-auth)."""
    named = dict(zip(*[iter(env.get("ETCD_TLS_ARGS", "").split())] * 2))
    if not named:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(named["--etcd-ca"])
    if client_certificate:
        context.load_cert_chain(named["--etcd-cert"], named["--etcd-key"])
    return context


def etcd_post(env, path, body, client_certificate=True):
    """POSTs to etcd's JSON API, to the first member that answers."""
    error = None
    context = etcd_tls_context(env, client_certificate)
    for url in etcd_endpoints(env):
        req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=5, context=context) as r:
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
    # CLUSTER_LINK_ARGS: the cluster's certificates, when its links use TLS.
    # ETCD_TLS_ARGS: etcd's, when it serves https:// (CLUSTER_ETCD_TLS=1).
    link_args = env.get("CLUSTER_LINK_ARGS", "").split() + env.get("ETCD_TLS_ARGS", "").split()
    r = subprocess.run([tessera_bin(), "ctl", "--etcd", ",".join(etcd_endpoints(env))] + link_args + list(args), stdout=subprocess.PIPE,
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


def link_files(env):
    """The cluster's (ca, cert, key) from CLUSTER_LINK_ARGS, or None when its
    links are plain TCP (CLUSTER_TLS=0)."""
    args = env.get("CLUSTER_LINK_ARGS", "").split()
    if not args:
        return None
    named = dict(zip(args[::2], args[1::2]))
    return named["--cluster-ca"], named["--cluster-cert"], named["--cluster-key"]


def link_socket(env, host, port, tls=None, timeout=5):
    """A connection to a node's transport port as a cluster process makes it:
    mutual TLS with the cluster's certificate when the cluster uses TLS.
    tls: None for that, or ("plain",) / (ca, cert or None, key or None) to
    connect otherwise (the link security tests)."""
    raw = socket.create_connection((host, port), timeout=timeout)
    files = link_files(env) if tls is None else (None if tls == ("plain",) else tls)
    if files is None:
        return raw
    ca, cert, key = files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    if cert:
        context.load_cert_chain(cert, key)
    return context.wrap_socket(raw, server_hostname=host)


def read_exactly(s, n, host, port):
    data = b""
    while len(data) < n:
        more = s.recv(n - len(data))
        if not more:
            raise Failure("node %s:%d closed the connection" % (host, port))
        data += more
    return data


def transport_call(env, host, port, method, payload, tls=None):
    """One request over the node transport (cluster/transport/frame.h):
    returns (kind of the final frame, its payload). tls: see link_socket."""
    with link_socket(env, host, port, tls) as s:
        s.sendall(struct.pack(">IBBHQ", 12 + len(payload), 1, 1, method, 1) + payload)
        while True:
            length, _version, kind, _method, _rid = struct.unpack(">IBBHQ", read_exactly(s, 16, host, port))
            body = read_exactly(s, length - 12, host, port)
            if kind in (3, 4):
                return kind, body
