#!/usr/bin/env bash
# Runs every check and test that CI runs, in CI's order, and ends with one summary line.
# Installs what it lacks (WASM target, cargo-leptos, wasm-bindgen, wasm-opt, Chromium,
# chromedriver, CJK fonts, the end2end npm packages). Needs PostgreSQL at
# OFFICEFLOW_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
timings=""
step_name=""
step_start=$SECONDS
step() {
  if [ -n "$step_name" ]; then timings+="$(printf '  %-58s %4ss' "$step_name" $((SECONDS - step_start)))"$'\n'; fi
  step_name="$*"
  step_start=$SECONDS
  [ -n "$step_name" ] && printf '\n\033[1;36m==> %s\033[0m\n' "$*"
  return 0
}
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

step "install missing tools"
bash scripts/install-tools.sh test
source scripts/env.sh

step "format"
cargo fmt --all --check

step "clippy: server build"
cargo clippy --workspace --exclude frontend --all-targets --locked -- -D warnings

step "clippy: wasm32 hydrate build"
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

step "Rust tests (every integration test on SQLite and on PostgreSQL)"
cargo test --workspace --exclude frontend --locked 2>&1 | tee "$logs/cargo-test.log"

step "release build (cargo leptos)"
cargo leptos build --release

step "browser tests (headless Chromium)"
(cd end2end && npm ci --no-audit --no-fund --silent)
export OFFICEFLOW_BIN="$OFFICEFLOW_TARGET/release/officeflow"
set +e
(cd end2end && CI="${CI:-}" npx playwright test)
e2e_status=$?
set -e

step "office load: 300 people for a minute each on SQLite, PostgreSQL, two instances"
set +e
bash scripts/office-load.sh 2>&1 | tee "$logs/office-load.log"
load_status=${PIPESTATUS[0]}
set -e

step ""
printf '\nstep timings:\n%s' "$timings"

rust_passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$logs/cargo-test.log" | awk '{s+=$4} END {print s+0}')
rust_failed=$(grep -Eo '[0-9]+ failed' "$logs/cargo-test.log" | awk '{s+=$1} END {print s+0}')
read -r e2e_passed e2e_failed < <(python3 - <<'PY'
import json
try:
    stats = json.load(open("end2end/test-results/results.json"))["stats"]
    print(stats.get("expected", 0), stats.get("unexpected", 0) + stats.get("flaky", 0))
except Exception:
    print(0, 1)
PY
)
load_passed=$(grep -c '^load check passed' "$logs/office-load.log" || true)
load_failed=$(grep -c '^load check failed' "$logs/office-load.log" || true)
if [ "$load_status" != 0 ] && [ "$load_failed" = 0 ]; then load_failed=1; fi
echo
echo "rust: ${rust_passed} passed, ${rust_failed} failed; browser: ${e2e_passed} passed, ${e2e_failed} failed; office load: ${load_passed} passed, ${load_failed} failed"
echo "summary: $((rust_passed + e2e_passed + load_passed)) passed, $((rust_failed + e2e_failed + load_failed)) failed"
[ "$e2e_status" = 0 ] && [ "$load_status" = 0 ]
