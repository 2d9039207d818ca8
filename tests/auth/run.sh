#!/usr/bin/env bash
# Client authentication tests (test_auth.py, issue 13): `tessera start --hba
# FILE` with SCRAM-SHA-256, cleartext `password`, `reject` and rules no
# client matches, checked with psql, psycopg2 and a protocol client that
# reads SQLSTATEs, and the same checks against PostgreSQL 15 configured
# alike (its own pg_hba.conf, password_encryption = scram-sha-256); then on
# a loopback cluster (scripts/cluster.sh, 2 gateways with --hba and the TLS
# flags), a role created through one gateway logs in through the other,
# psql with sslmode=verify-full reaches a gateway over TLS, and table
# privileges granted and revoked through one gateway hold at the next
# statement through the other (test_privileges.py; AUTH_CLUSTER=0 skips
# that part). TLS checks: tls_checks.py. Each server is started on a free
# loopback port and stopped by the test.
#
# Binary: $TESSERA_BIN, else $BUILD_DIR/cluster/tessera (default ./build).
# PostgreSQL: $PG_BIN (default /usr/lib/postgresql/15/bin).
# Prints every "PASS/FAIL auth <check>" line and, last, "auth total: P
# passed, F failed"; exits non-zero when a check failed. About 30 seconds.
set -uo pipefail
source "$(dirname "$0")/../lib/runner.sh"  # here, root, BIN, PG_BIN, PYTHON

if ! "$PYTHON" -c 'import psycopg2' 2> /dev/null; then
  echo "FAIL auth: $PYTHON cannot import psycopg2 (package python3-psycopg2)"
  echo "auth total: 0 passed, 1 failed"
  exit 1
fi
if [ ! -x "$BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "FAIL auth: missing $BIN or $PG_BIN/initdb"
  echo "auth total: 0 passed, 1 failed"
  exit 1
fi
log="$(mktemp /tmp/tessera-auth.XXXXXX)"
timeout -k 10 300 "$PYTHON" "$here/test_auth.py" "$BIN" "$PG_BIN" > "$log" 2>&1
grep -vE '^auth total:' "$log"
p=$(grep -c '^PASS ' "$log")
f=$(grep -c '^FAIL ' "$log")
grep -q '^auth total:' "$log" || { echo "FAIL auth: test_auth.py ended without a total"; f=$((f + 1)); }
rm -f "$log"

# On a cluster: a role created through one gateway logs in with its password
# through the other (roles live in the catalog in etcd), with --hba given to
# both gateways.
if [ "${AUTH_CLUSTER:-1}" != 0 ]; then
  cluster_dir="$(mktemp -d /tmp/tessera-auth-cluster.XXXXXX)"
  hba="$(mktemp /tmp/tessera-auth-hba.XXXXXX)"
  certs="$(mktemp -d /tmp/tessera-auth-certs.XXXXXX)"
  trap 'TESSERA_BIN="$BIN" bash "$root/scripts/cluster.sh" stop "$cluster_dir" > /dev/null 2>&1; rm -rf "$cluster_dir" "$hba" "$certs"' EXIT
  printf 'host all tessera 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$hba"
  # A CA and a certificate for 127.0.0.1: the gateways accept TLS.
  (cd "$certs" &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=cluster test CA" &&
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > server.ext &&
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
      -extfile server.ext) > /dev/null 2>&1
  tls_args="--tls-cert $certs/server.crt --tls-key $certs/server.key --tls-ca $certs/ca.crt"
  check() {  # check NAME OK WHY
    if [ "$2" = 1 ]; then echo "PASS auth cluster_$1"; p=$((p + 1)); else echo "FAIL auth cluster_$1: $3"; f=$((f + 1)); fi
  }
  if out=$(TESSERA_BIN="$BIN" CLUSTER_GROUPS=2 CLUSTER_GATEWAYS=2 NO_SYNC=1 GATEWAY_ARGS="--hba $hba $tls_args" \
      timeout 120 bash "$root/scripts/cluster.sh" start "$cluster_dir" 2>&1); then
    # shellcheck disable=SC1091
    source "$cluster_dir/cluster.env"
    psql=("$PG_BIN/psql" -h 127.0.0.1 -d tessera -XAtq)
    out=$("${psql[@]}" -p "$GATEWAY_PORT_0" -U tessera -c "CREATE USER gw_user PASSWORD 'gw secret'" 2>&1)
    check create_role "$([ $? -eq 0 ] && echo 1)" "$out"
    out=$(PGPASSWORD='gw secret' "${psql[@]}" -p "$GATEWAY_PORT_1" -U gw_user -c "SELECT current_user" 2>&1)
    check other_gateway_right_password "$([ "$out" = gw_user ] && echo 1)" "$out"
    out=$(PGPASSWORD='gw secret' "$PG_BIN/psql" -XAtq \
      "host=127.0.0.1 port=$GATEWAY_PORT_1 dbname=tessera user=gw_user sslmode=verify-full sslrootcert=$certs/ca.crt" \
      -c "SHOW ssl" -c "SELECT ssl, version FROM pg_stat_ssl WHERE ssl" 2>&1)
    check gateway_tls_verify_full "$([ "$(echo $out)" = "on t|TLSv1.3" ] && echo 1)" "$out"
    out=$("$PG_BIN/psql" -XAtq "host=127.0.0.1 port=$GATEWAY_PORT_0 dbname=tessera user=tessera sslmode=disable" \
      -c "SHOW ssl" -c "SELECT count(*) FROM pg_stat_ssl WHERE ssl" 2>&1)
    check gateway_plain_beside_tls "$([ "$(echo $out)" = "on 0" ] && echo 1)" "$out"
    out=$(PGPASSWORD=wrong "${psql[@]}" -p "$GATEWAY_PORT_1" -U gw_user -c "SELECT 1" 2>&1)
    check other_gateway_wrong_password \
      "$(grep -q 'password authentication failed for user "gw_user"' <<< "$out" && echo 1)" "$out"
    out=$(PGPASSWORD='gw secret' "${psql[@]}" -p "$GATEWAY_PORT_1" -U nobody -c "SELECT 1" 2>&1)
    check missing_role "$(grep -q 'password authentication failed for user "nobody"' <<< "$out" && echo 1)" "$out"
    # SIGHUP re-reads a gateway's rules (here: gw_user is now rejected) and
    # must not end a storage node (SIGHUP's default action).
    printf 'host all gw_user 127.0.0.1/32 reject\n' | cat - "$hba" > "$hba.new" && mv "$hba.new" "$hba"
    kill -HUP "$(cat "$cluster_dir/gateway1.pid")" "$(cat "$cluster_dir/node0.pid")"
    for _ in $(seq 1 50); do
      out=$(PGPASSWORD='gw secret' "${psql[@]}" -p "$GATEWAY_PORT_1" -U gw_user -c "SELECT 1" 2>&1)
      grep -q 'pg_hba.conf rejects connection' <<< "$out" && break
      sleep 0.1
    done
    check gateway_reload_on_sighup "$(grep -q 'pg_hba.conf rejects connection for host "127.0.0.1", user "gw_user"' <<< "$out" && echo 1)" "$out"
    out=$("${psql[@]}" -p "$GATEWAY_PORT_0" -U tessera -c "SELECT count(*) FROM pg_roles WHERE rolname = 'gw_user'" 2>&1)
    check storage_node_survives_sighup "$([ "$out" = 1 ] && kill -0 "$(cat "$cluster_dir/node0.pid")" 2> /dev/null && echo 1)" "$out"
    # Table privileges of a role logging in with its password (test_privileges.py):
    # 42501, then GRANT through one gateway and the next statement through the
    # other succeeds, REVOKE and it fails again.
    priv_log="$(mktemp /tmp/tessera-auth-priv.XXXXXX)"
    timeout -k 10 120 "$PYTHON" "$here/test_privileges.py" 127.0.0.1 "$GATEWAY_PORT_0" "$GATEWAY_PORT_1" tessera \
      > "$priv_log" 2>&1
    grep -E '^(PASS|FAIL) ' "$priv_log"
    p=$((p + $(grep -c '^PASS ' "$priv_log")))
    f=$((f + $(grep -c '^FAIL ' "$priv_log")))
    grep -q '^privileges total:' "$priv_log" || {
      echo "FAIL auth privileges: test_privileges.py ended without a total: $(tail -n 3 "$priv_log" | tr '\n' ' ')"
      f=$((f + 1))
    }
    rm -f "$priv_log"
  else
    check start 0 "the cluster did not start: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
  fi
fi
echo "auth total: $p passed, $f failed"
[ "$f" -eq 0 ]
