#!/usr/bin/env bash
# Configures ./build (Ninja, RelWithDebInfo) and builds every target.
#   BUILD_DIR  another build directory (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"

mkdir -p "$BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$BUILD_DIR/configure.log" 2>&1 || {
  cat "$BUILD_DIR/configure.log" >&2
  exit 1
}
# -k 0: keep going past a failing target, so the rest can still be tested.
ninja -C "$BUILD_DIR" -j"$(nproc)" -k 0
