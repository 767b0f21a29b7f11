#!/usr/bin/env bash
# Figures for docs/PERFORMANCE.md about the shell: the release WASM's size (raw and gzip -9)
# and the server's resident memory at rest (after start and after 50 page loads).
# Run after `cargo leptos build --release` (scripts/serve.sh or scripts/test.sh do that).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
wasm=target/site/pkg/officeflow.wasm
js=target/site/pkg/officeflow.js
css=target/site/pkg/officeflow.css
size() { printf '%s raw %d B, gzip -9 %d B\n' "$1" "$(stat -c %s "$1")" "$(gzip -9 -c "$1" | wc -c)"; }
size "$wasm"; size "$js"; size "$css"

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OFFICEFLOW_BIND="127.0.0.1:$port" OFFICEFLOW_DATA_DIR="$data" OFFICEFLOW_LOG=warn \
  "$OFFICEFLOW_TARGET/release/officeflow" serve &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
sleep 2
echo "RSS at rest after start: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$port/" -o /dev/null
  curl -sf "http://127.0.0.1:$port/functions/documents" -o /dev/null
done
sleep 2
echo "RSS at rest after 100 page loads: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
