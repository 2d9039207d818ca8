#!/usr/bin/env bash
# Installs what Tessera needs to build and test on Debian 12, as root.
# Idempotent: apt-get runs only when a package is missing, so a second run
# costs a second or so of dpkg queries.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache
  antlr4 libantlr4-runtime-dev
  liblmdb-dev libboost-dev libboost-context-dev libssl-dev
  libgtest-dev libbenchmark-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libcctz-dev
  libpq-dev postgresql-client
  postgresql-15   # server and pgbench: the reference the tests compare against
  etcd-server curl  # cluster metadata; scripts/cluster.sh asks etcd over its HTTP API
  python3
  python3-psycopg python3-psycopg2 libpostgresql-jdbc-java openjdk-17-jdk-headless nodejs $(command -v npm > /dev/null || echo npm)  # tests/drivers, tests/wire (a nodejs that bundles npm needs no npm package)
  python3-sqlalchemy python3-django pgcli  # tests/orm: the ORMs and the interactive client users bring
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp /tmp/tessera-setup.XXXXXX.log)"
# Output goes to a log that is shown only when something fails.
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > "$log" 2>&1; then
  cat "$log" >&2
  echo "setup.sh: package installation failed" >&2
  exit 1
fi
rm -f "$log"
