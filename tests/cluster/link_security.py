#!/usr/bin/env python3
"""Authenticated cluster links (issue 13): run by link_security.sh on a
cluster of its own (1 shard group of 2 replicas, one gateway) started by
scripts/cluster.sh, whose processes talk mutual TLS with certificates of the
cluster's CA (`tessera ctl certs`), and whose etcd serves https:// only, to
clients with a certificate of that CA (CLUSTER_ETCD_TLS=1).

    link_security.py CLUSTER_DIR

a. SQL through the gateway works, and the backup is in sync: every link
   (gateway to node, primary to backup, node to oracle) runs over TLS.
b. With the cluster's certificate, a checksum request (which reads every
   row of the node's databases) sent straight to the primary's transport port
   is answered: the probe used below is a request the node would serve.
c. The same request over plain TCP gets nothing: the node closes the
   connection without answering, and its log says it refused the client's
   address and port. Likewise a delete-everything-shaped execute request.
d. Over TLS without a client certificate, and with a certificate signed by
   another CA (made by `tessera ctl certs` in another directory), the
   handshake fails, nothing is answered, and the node logs the refusal.
e. After all that the table holds exactly the rows committed through the
   gateway.
f. `tessera ctl status` without the cluster's certificate cannot reach the
   nodes; with it, every node is up.
g. A node given a key that does not match its certificate refuses to start,
   naming the flags.
h. etcd (the cluster's metadata and leases) answers the cluster's
   certificate over https://, and nothing over plain http:// or to a TLS
   client without a certificate; `tessera ctl` without --etcd-ca refuses an
   https:// endpoint with a clear message.
"""
import json
import os
import re
import ssl
import subprocess
import sys
import time

from cluster_common import Checks, Failure, connect, expect, expect_eq, gateway_ports, load_env, q, q1
from replication_common import etcd_post, link_files, link_socket, tessera_bin, transport_call

SUITE = "cluster-link-security"
K_EXECUTE = 1
K_CHECKSUM = 12


def node_log(cluster_dir, name):
    with open(os.path.join(cluster_dir, name + ".log"), errors="replace") as f:
        return f.read()


def wait_for_log(cluster_dir, name, pattern, limit=5.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = re.search(pattern, node_log(cluster_dir, name))
        if found:
            return found.group(0)
        time.sleep(0.1)
    raise Failure("%s.log has no line matching %r" % (name, pattern))


def refused(env, port, payload_method, tls):
    """Sends one request over a connection made as `tls` says; returns how it
    was refused, or raises Failure if the node answered."""
    try:
        s = link_socket(env, "127.0.0.1", port, tls)
    except (ssl.SSLError, ConnectionError, OSError) as e:
        return None, "handshake refused: %s" % e
    local_port = s.getsockname()[1]
    try:
        s.sendall(b"\x00\x00\x00\x0c\x01\x01" + payload_method.to_bytes(2, "big") + b"\x00" * 8)
        data = s.recv(16)
    except (ssl.SSLError, ConnectionError, OSError) as e:
        return local_port, "closed: %s" % e
    finally:
        s.close()
    if data:
        raise Failure("the node answered %r" % data)
    return local_port, "closed without an answer"


def main():
    cluster_dir = sys.argv[1]
    env = load_env(cluster_dir)
    port = gateway_ports(env)[0]
    primary_port = int(env["NODE_PORT_0"])
    checks = Checks(SUITE)
    files = link_files(env)
    if files is None:
        checks.fail("cluster TLS", "cluster.env has no CLUSTER_LINK_ARGS: scripts/cluster.sh started plain links")
        return 1
    ca, cert, key = files
    etcd_args = env.get("ETCD_TLS_ARGS", "").split()

    def sql_over_tls_links():
        c = connect(port)
        try:
            q(c, "CREATE TABLE secrets (id int PRIMARY KEY, v text)")
            q(c, "INSERT INTO secrets SELECT g, 'secret ' || g FROM generate_series(1, 30) g")
            expect_eq(q1(c, "SELECT count(*) FROM secrets"), 30, "rows through the gateway")
        finally:
            c.close()
        status = subprocess.run([tessera_bin(), "ctl", "--etcd", env["ETCD_ENDPOINTS"]] + etcd_args + ["--cluster-ca", ca,
                                 "--cluster-cert", cert, "--cluster-key", key, "status", "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
        expect(status.returncode == 0, "ctl status failed: %s" % status.stderr)
        return "30 rows; ctl status over TLS answered"

    checks.run("a. SQL and replication over mutual TLS", sql_over_tls_links)

    def with_certificate():
        kind, payload = transport_call(env, "127.0.0.1", primary_port, K_CHECKSUM, b"")
        expect_eq(kind, 3, "final frame kind (kEnd)")
        answer = json.loads(payload)
        expect(answer.get("entries", 0) > 0, "checksum of no entries: %s" % answer)
        return "checksum of %d entries" % answer["entries"]

    checks.run("b. the probe is answered with the cluster certificate", with_certificate)

    def plain_tcp():
        details = []
        for method in (K_CHECKSUM, K_EXECUTE):
            local_port, how = refused(env, primary_port, method, ("plain",))
            wait_for_log(cluster_dir, "node0", r"refused connection from 127\.0\.0\.1:%d: [^\n]*" % local_port)
            details.append(how)
        return "; ".join(details)

    checks.run("c. plain TCP gets nothing and is logged", plain_tcp)

    def without_client_certificate():
        local_port, how = refused(env, primary_port, K_CHECKSUM, (ca, None, None))
        line = wait_for_log(cluster_dir, "node0", r"refused connection from [^\n]*did not return a certificate")
        return "%s; logged: %s" % (how, line[line.index("refused"):])

    checks.run("d. TLS without a client certificate is refused and logged", without_client_certificate)

    def foreign_certificate():
        other = os.path.join(cluster_dir, "other-ca")
        subprocess.run([tessera_bin(), "ctl", "certs", "--dir", other], check=True, stdout=subprocess.PIPE,
                       timeout=30)
        # The client trusts the real CA (so the server's certificate passes);
        # only its own certificate is foreign.
        local_port, how = refused(env, primary_port, K_CHECKSUM,
                                  (ca, os.path.join(other, "node.crt"), os.path.join(other, "node.key")))
        line = wait_for_log(cluster_dir, "node0", r"refused connection from [^\n]*certificate verify failed")
        return "%s; logged: %s" % (how, line[line.index("refused"):])

    checks.run("d. a certificate of another CA is refused and logged", foreign_certificate)

    def rows_intact():
        c = connect(port)
        try:
            expect_eq(q(c, "SELECT count(*), sum(id) FROM secrets")[0], (30, 465), "rows after the attempts")
        finally:
            c.close()

    checks.run("e. the table is intact", rows_intact)

    def ctl_needs_certificate():
        base = [tessera_bin(), "ctl", "--etcd", env["ETCD_ENDPOINTS"]] + etcd_args
        without = subprocess.run(base + ["status", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, timeout=60)
        with_cert = subprocess.run(base + ["--cluster-ca", ca, "--cluster-cert", cert, "--cluster-key", key, "status",
                                           "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   timeout=60)
        expect(with_cert.returncode == 0, "ctl status with the certificate failed: %s" % with_cert.stderr)
        expect("unreachable" not in with_cert.stdout, "a node unreachable with the certificate: %s" % with_cert.stdout)
        expect("unreachable" in without.stdout, "ctl status reached a node without a certificate: %s" % without.stdout)
        return "without: unreachable; with: up"

    checks.run("f. ctl status needs the cluster certificate", ctl_needs_certificate)

    def mismatched_key_refused():
        other_key = os.path.join(cluster_dir, "other-ca", "node.key")
        r = subprocess.run([tessera_bin(), "storage", "--etcd", env["ETCD_ENDPOINTS"]] + etcd_args + ["--group", "0", "--data",
                            os.path.join(cluster_dir, "never"), "--listen", "127.0.0.1:0", "--no-sync",
                            "--cluster-ca", ca, "--cluster-cert", cert, "--cluster-key", other_key],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        expect(r.returncode != 0, "the node started with a foreign key")
        expect(re.search(r"cannot start: cannot use --cluster-key .*(mismatch|does not match)", r.stdout),
               "no clear message: %s" % r.stdout[-400:])
        expect(r.returncode == 2, "exit status %d, want 2" % r.returncode)

    checks.run("g. a key that does not match the certificate stops the node", mismatched_key_refused)

    def etcd_https_only():
        expect(env["ETCD_URL"].startswith("https://"), "etcd is not on https://: %s" % env["ETCD_URL"])
        members = etcd_post(env, "/v3/cluster/member/list", {})
        expect(members.get("members"), "no members listed over https with the certificate: %s" % members)
        plain = env["ETCD_URL"].replace("https://", "http://")
        try:
            etcd_post({"ETCD_URL": plain, "ETCD_ENDPOINTS": plain}, "/v3/cluster/member/list", {})
            raise Failure("etcd answered plain http://")
        except Failure as e:
            expect("no etcd member answered" in str(e), str(e))
        try:
            etcd_post(env, "/v3/cluster/member/list", {}, client_certificate=False)
            raise Failure("etcd answered a TLS client without a certificate")
        except Failure as e:
            expect("no etcd member answered" in str(e), str(e))
        r = subprocess.run([tessera_bin(), "ctl", "--etcd", env["ETCD_ENDPOINTS"], "status"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30)
        expect(r.returncode != 0 and "https:// needs --etcd-ca" in r.stdout, "ctl without --etcd-ca: %s" % r.stdout)
        return "https with the certificate; refused over http and without one"

    checks.run("h. etcd only over https:// with the cluster certificate", etcd_https_only)
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
