#!/usr/bin/env bash
# The simulated office of server/benches/office_load.rs against the release build, as separate
# processes behind a round-robin relay: on SQLite, on PostgreSQL, and two instances on one
# PostgreSQL database. Fails when any request fails (a 5xx, no answer, an answer after 10 s).
# CI runs the short version; the figures of docs/PERFORMANCE.md come from the long one.
#
#   bash scripts/office-load.sh                      # 60 s each, 300 people: what CI runs
#   SECONDS_EACH=120 PROFILE=bench bash scripts/office-load.sh sqlite postgres pair
#   THINK_MS=500 bash scripts/office-load.sh postgres pair   # a heavier office
#
# Arguments: which runs (sqlite, postgres, pair; all three by default). Settings: SECONDS_EACH
# (60), USERS (300), THINK_MS (3000), PROFILE (dev: the generator is built like the tests and
# shares their build; bench: optimised, for figures), OFFICEFLOW_BENCH_POSTGRES_URL (the
# server where a fresh database is made for each run; default the tests' PostgreSQL).
# Needs `cargo leptos build --release` first (scripts/serve.sh or scripts/test.sh do it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
seconds=${SECONDS_EACH:-60}
users=${USERS:-300}
think=${THINK_MS:-3000}
profile=${PROFILE:-dev}
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(sqlite postgres pair)
bin="$OFFICEFLOW_TARGET/release/officeflow"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo leptos build --release" >&2; exit 1; }

generator=$(PROFILE="$profile" bash scripts/load-generator.sh)
[ -x "$generator" ] || { echo "the generator did not build" >&2; exit 1; }

status=0
for run in "${runs[@]}"; do
  case "$run" in
    sqlite) args=(--only sqlite) ;;
    postgres) args=(--only postgres) ;;
    pair) args=(--only postgres --instances 2) ;;
    *) echo "runs are sqlite, postgres or pair, not $run" >&2; exit 1 ;;
  esac
  echo "==> office load: $run, $users people, ${seconds} s, think time ${think} ms"
  "$generator" --binary "$bin" --users "$users" --seconds "$seconds" --think-ms "$think" \
    --check "${args[@]}" || status=1
done
exit $status
