#!/usr/bin/env bash
# Compares server builds on the board with 1,000 cards (docs/PERFORMANCE.md): each binary in
# turn, ROUNDS times, on a fresh database. end2end/perf/board-load.mjs raises the cards and
# times the pages with Node's fetch (PARTS: page, api, ledgers, home, signins); then, when
# `wrk` is installed (scripts/install-tools.sh test), wrk times the same requests with
# CLIENTS connections for SECONDS_EACH seconds each (WRK_PARTS). Each line gives requests per
# second, the median and the 99th percentile time to the last byte, and the server's CPU time
# per request: wrk itself costs a few microseconds a request, Node's fetch about 2 ms, and
# both share the machine's two cores with the server. Prints the server's resident memory at
# rest and at the end.
# Usage: scripts/measure-board-load.sh BINARY [BINARY ...]
# (e.g. copy target/release/officeflow aside, rebuild, and pass both). PARTS, WRK_PARTS,
# SECONDS_EACH, CLIENTS and CARDS are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port=3997
rounds="${ROUNDS:-2}"
clients="${CLIENTS:-16}"
seconds="${SECONDS_EACH:-10}"
wrk_parts="${WRK_PARTS:-page,api,ledgers,home}"
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/board.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"function":"documents"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# The server's user and system CPU time so far, in clock ticks (10 ms).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk on one kind of request: "kind: N/s, median X ms, p99 Y ms, server CPU Z ms per request".
wrk_part() {
  local pid=$1 kind=$2 cookie=$3 path extra=()
  case "$kind" in
    page) path=/functions/documents/board ;;
    api) path=/api/boards/get; extra=(-s "$work/board.lua") ;;
    ledgers) path=/ledgers ;;
    home) path=/ ;;
    *) echo "unknown part $kind" >&2; return 1 ;;
  esac
  local before after
  before=$(cpu_ticks "$pid")
  wrk -t2 -c"$clients" -d"${seconds}s" --latency "${extra[@]}" -H "Cookie: $cookie" \
    -H "Accept-Encoding: gzip" "$base$path" > "$work/wrk.out"
  after=$(cpu_ticks "$pid")
  awk -v kind="$kind" -v ticks=$((after - before)) '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000
      return v
    }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /requests in/ { n = $1 } /Requests\/sec/ { rate = $2 }
    /Non-2xx|Socket errors/ { errors = errors " " $0 }
    END {
      printf "wrk %s: %d requests, %.0f/s, median %.1f ms, p99 %.1f ms, server CPU %.2f ms per request%s\n",
        kind, n, rate, p50, p99, ticks * 10 / n, errors
    }' "$work/wrk.out"
}

for round in $(seq "$rounds"); do
  for bin in "$@"; do
    data=$(mktemp -d)
    OFFICEFLOW_BIND="127.0.0.1:$port" OFFICEFLOW_DATA_DIR="$data" OFFICEFLOW_LOG=warn \
      OFFICEFLOW_SCHEDULER_EVERY=60 "$bin" serve > "$data/server.log" 2>&1 &
    pid=$!
    until curl -sf "$base/healthz" > /dev/null; do sleep 0.5; done
    echo "== round $round: $bin"
    echo "memory at rest: $(grep VmRSS /proc/$pid/status)"
    (cd end2end && BASE="$base" SERVER_PID="$pid" node perf/board-load.mjs)
    if command -v wrk > /dev/null; then
      cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
        -d '{"login":"director","password":"officeflow-demo"}' "$base/api/auth/sign-in" \
        | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)
      for kind in ${wrk_parts//,/ }; do wrk_part "$pid" "$kind" "$cookie"; done
    fi
    echo "memory at the end: $(grep VmRSS /proc/$pid/status)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done
