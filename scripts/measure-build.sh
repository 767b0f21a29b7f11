#!/usr/bin/env bash
# Release build times for docs/PERFORMANCE.md: cold (an empty target folder), warm after an
# edit in `app`, and warm with nothing changed. Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh build
source scripts/env.sh
export CARGO_TARGET_DIR
CARGO_TARGET_DIR=$(mktemp -d)
trap 'rm -rf "$CARGO_TARGET_DIR"' EXIT
timed() { local s=$SECONDS; cargo leptos build --release >/dev/null 2>&1; echo "$1: $((SECONDS - s)) s"; }
timed "cold"
touch app/src/lib.rs
timed "warm, after an edit in app"
timed "warm, nothing changed"
