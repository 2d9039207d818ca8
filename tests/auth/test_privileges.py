#!/usr/bin/env python3
"""Table privileges seen by a role that logs in with its password (issue 13).

    test_privileges.py HOST PORT_A PORT_B SUPERUSER [DATABASE]

PORT_A and PORT_B are two gateways of one cluster (or the same server
twice). The superuser, connected through PORT_A, creates a login role with a
password and a table; the role, connected once through PORT_B, gets 42501
for SELECT, INSERT, UPDATE, DELETE, COPY TO and COPY FROM; after a GRANT
through PORT_A its next statements succeed on the same connection, and after
a REVOKE they fail again. A new connection through PORT_A sees the same. It
also checks SET ROLE (42501 to a role the session user is not a member of;
current_user changes, session_user does not). Runs against PostgreSQL 15
alike (the superuser's name aside).

Every check prints "PASS auth privileges_<name>" or "FAIL auth
privileges_<name>: <reason>"; the last line is "privileges total: P passed,
F failed".
"""
import io
import sys

import psycopg2

PASSWORD = "priv s3cret"
passed = 0
failed = 0


def check(name, cond, why=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS auth privileges_{name}")
    else:
        failed += 1
        print(f"FAIL auth privileges_{name}: {why}")


DATABASE = sys.argv[5] if len(sys.argv) > 5 else "tessera"


def connect(host, port, user, password=None):
    conn = psycopg2.connect(host=host, port=port, user=user, password=password, dbname=DATABASE, connect_timeout=10)
    conn.autocommit = True
    return conn


def outcome(conn, op):
    """None when `op` succeeded, else the SQLSTATE it failed with."""
    try:
        with conn.cursor() as cur:
            op(cur)
        return None
    except psycopg2.Error as e:
        return e.pgcode or str(e)


OPS = {
    "select": lambda cur: cur.execute("SELECT count(*) FROM auth_priv_t"),
    "insert": lambda cur: cur.execute("INSERT INTO auth_priv_t VALUES (nextval('auth_priv_ids'), 'x')"),
    "update": lambda cur: cur.execute("UPDATE auth_priv_t SET v = 'y' WHERE id = 1"),
    "delete": lambda cur: cur.execute("DELETE FROM auth_priv_t WHERE id = -1"),
    "copy_to": lambda cur: cur.copy_expert("COPY auth_priv_t TO STDOUT", io.StringIO()),
    "copy_from": lambda cur: cur.copy_expert("COPY auth_priv_t (id, v) FROM STDIN",
                                             io.StringIO("-%d\tc\n" % (passed + failed + 1000))),
}


def all_ops(conn, want, phase):
    for name, op in OPS.items():
        got = outcome(conn, op)
        check(f"{phase}_{name}", got == want, f"expected {want or 'success'}, got {got or 'success'}")


def main():
    host, port_a, port_b, admin = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    su = connect(host, port_a, admin)
    with su.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS auth_priv_t")
        cur.execute("DROP SEQUENCE IF EXISTS auth_priv_ids")
        cur.execute("DROP ROLE IF EXISTS auth_priv_user, auth_priv_other")
        cur.execute(f"CREATE ROLE auth_priv_user LOGIN PASSWORD '{PASSWORD}'")
        cur.execute("CREATE ROLE auth_priv_other")
        cur.execute("CREATE TABLE auth_priv_t (id int PRIMARY KEY, v text)")
        cur.execute("CREATE SEQUENCE auth_priv_ids START 10")
        cur.execute("INSERT INTO auth_priv_t VALUES (1, 'a')")
    user = connect(host, port_b, "auth_priv_user", PASSWORD)

    all_ops(user, "42501", "before_grant")
    with su.cursor() as cur:
        cur.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON auth_priv_t TO auth_priv_user")
        cur.execute("GRANT USAGE ON SEQUENCE auth_priv_ids TO auth_priv_user")
    all_ops(user, None, "after_grant")
    with su.cursor() as cur:
        cur.execute("REVOKE ALL ON auth_priv_t FROM auth_priv_user")
    all_ops(user, "42501", "after_revoke")

    # The other gateway, on a new connection, agrees.
    other = connect(host, port_a, "auth_priv_user", PASSWORD)
    check("other_gateway_select", outcome(other, OPS["select"]) == "42501", "expected 42501")
    with su.cursor() as cur:
        cur.execute("GRANT SELECT ON auth_priv_t TO auth_priv_user")
    check("other_gateway_select_granted", outcome(other, OPS["select"]) is None, "expected success")
    check("first_gateway_select_granted", outcome(user, OPS["select"]) is None, "expected success")

    # SET ROLE: only to a role the session user is a member of.
    check("set_role_not_member",
          outcome(user, lambda cur: cur.execute("SET ROLE auth_priv_other")) == "42501", "expected 42501")
    with su.cursor() as cur:
        cur.execute("GRANT auth_priv_other TO auth_priv_user")
    check("set_role_member", outcome(user, lambda cur: cur.execute("SET ROLE auth_priv_other")) is None,
          "expected success")
    with user.cursor() as cur:
        cur.execute("SELECT current_user, session_user")
        row = cur.fetchone()
    check("set_role_current_user", row == ("auth_priv_other", "auth_priv_user"), str(row))
    # auth_priv_other has no privileges on the table.
    check("set_role_privileges", outcome(user, OPS["select"]) == "42501", "expected 42501")
    with user.cursor() as cur:
        cur.execute("RESET ROLE")
        cur.execute("SELECT current_user")
        row = cur.fetchone()
    check("reset_role", row == ("auth_priv_user",), str(row))

    user.close()
    other.close()
    with su.cursor() as cur:
        cur.execute("DROP TABLE auth_priv_t")
        cur.execute("DROP SEQUENCE auth_priv_ids")
        cur.execute("DROP ROLE auth_priv_user, auth_priv_other")
    su.close()
    print(f"privileges total: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
