#!/usr/bin/env bash
# A longer fuzz run than CI's (tests/fuzz): FUZZ_SECONDS (default 600), an
# optional seed to replay a run.   bash scripts/fuzz.sh [SEED]
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-600}" exec bash tests/fuzz/run.sh "$@"
