#!/usr/bin/env bash
# Figures for docs/PERFORMANCE.md about the board with 1,000 open cards (issue 6): server-side
# render with 16 concurrent clients, interactive after navigation in headless Chromium, and
# drop to confirmed. Run after `cargo leptos build --release`; on PostgreSQL with
# E2E_DATABASE_URL=postgres://… (a fresh database). Knobs: BOARD_CARDS, BOARD_CLIENTS,
# BOARD_REQUESTS, BOARD_LOADS, BOARD_DROPS.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export OFFICEFLOW_BIN="${OFFICEFLOW_BIN:-$OFFICEFLOW_TARGET/release/officeflow}"
cd end2end
exec npx playwright test --config perf/perf.config.ts "$@"
