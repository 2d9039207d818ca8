#!/usr/bin/env bash
# Installs, builds and runs a single-node Tessera in the foreground.
#   TESSERA_DATA  data directory (default ~/.tessera/data)
#   PORT          SQL port (default 5433)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh
data="${TESSERA_DATA:-$HOME/.tessera/data}"
mkdir -p "$data"
exec ./build/cluster/tessera start --data "$data" --port "${PORT:-5433}"
