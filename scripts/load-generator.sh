#!/usr/bin/env bash
# Builds the simulated office (server/benches/office_load.rs) and prints its executable's path.
# PROFILE=dev (the default) builds it like the tests, sharing their build; PROFILE=bench
# optimises it, for figures where the generator's own CPU matters.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-dev}
case "$profile" in
  dev) build=(cargo test -p server --bench office_load --no-run --locked) ;;
  bench) build=(cargo bench -p server --bench office_load --no-run --locked) ;;
  *) echo "PROFILE is dev or bench, not $profile" >&2; exit 1 ;;
esac
"${build[@]}" >&2
"${build[@]}" --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "office_load" and m.get("executable"):
        print(m["executable"])
'
