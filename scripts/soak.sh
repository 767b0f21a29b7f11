#!/usr/bin/env bash
# A soak run for docs/PERFORMANCE.md: the release server (its own process) on a fresh data
# folder with the demo office, the simulated office of server/benches/office_load.rs against
# it at moderate load for a while, and the server's resident memory every minute.
#
#   bash scripts/soak.sh                 # 30 minutes, 100 people, SQLite
#   bash scripts/soak.sh 5 300           # 5 minutes, 300 people
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/soak bash scripts/soak.sh
#
# Run after `cargo leptos build --release` (scripts/serve.sh or scripts/test.sh do that).
# With DATABASE_URL the database must exist and be empty (the demo office fills it).
# RAISE_PERCENT (3) is the share of raises in the mix (10 in the short runs): over half an
# hour at 10 % the open cases pile up by thousands, at 3 % about as many steps are completed
# as raised. PROFILE: how the generator is built (dev or bench, see load-generator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
minutes=${1:-30}
users=${2:-100}
bin="$OFFICEFLOW_TARGET/release/officeflow"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo leptos build --release" >&2; exit 1; }
generator=$(PROFILE=${PROFILE:-dev} bash scripts/load-generator.sh)

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OFFICEFLOW_BIND="127.0.0.1:$port" OFFICEFLOW_DATA_DIR="$data" OFFICEFLOW_LOG=warn \
  "$bin" serve >"$data/server.log" 2>&1 &
pid=$!
sampler=""
trap 'kill $sampler $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
began=$SECONDS
echo "soak: server pid $pid on 127.0.0.1:$port, $users people for $minutes min"
echo "soak: resident memory at start: $(rss) kB"
(
  while sleep 60; do
    echo "soak: resident memory after $(((SECONDS - began) / 60)) min: $(rss) kB"
  done
) &
sampler=$!
"$generator" --url "http://127.0.0.1:$port" --users "$users" --seconds $((minutes * 60)) \
  --raise-percent "${RAISE_PERCENT:-3}"
kill $sampler 2>/dev/null || true
echo "soak: resident memory at the end: $(rss) kB"
if grep -qiE "panic|ERROR" "$data/server.log"; then
  echo "soak: the server logged errors:" >&2
  grep -iE "panic|ERROR" "$data/server.log" | head -20 >&2
  exit 1
fi
