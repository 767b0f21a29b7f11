#!/usr/bin/env bash
# Compares server builds on the board with 1,000 cards (docs/PERFORMANCE.md, the allocator
# comparison): each binary in turn, ROUNDS times, on a fresh database, driven by
# end2end/perf/board-load.mjs; prints its figures and the server's resident memory at rest
# and at the end. Usage: scripts/measure-board-load.sh BINARY [BINARY ...]
# (e.g. copy target/release/officeflow aside, rebuild, and pass both).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port=3997
rounds="${ROUNDS:-2}"
for round in $(seq "$rounds"); do
  for bin in "$@"; do
    data=$(mktemp -d)
    OFFICEFLOW_BIND="127.0.0.1:$port" OFFICEFLOW_DATA_DIR="$data" OFFICEFLOW_LOG=warn \
      OFFICEFLOW_SCHEDULER_EVERY=60 "$bin" serve > "$data/server.log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do sleep 0.5; done
    echo "== round $round: $bin"
    echo "memory at rest: $(grep VmRSS /proc/$pid/status)"
    (cd end2end && BASE="http://127.0.0.1:$port" node perf/board-load.mjs)
    echo "memory at the end: $(grep VmRSS /proc/$pid/status)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done
