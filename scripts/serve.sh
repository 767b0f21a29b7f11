#!/usr/bin/env bash
# Builds OfficeFlow in release mode and serves it at http://127.0.0.1:3000 on the embedded
# SQLite database in ./data (created on first start). Installs the build tools it lacks.
# Any setting of `officeflow --help` can be given as an environment variable, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/officeflow bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh build
source scripts/env.sh
cargo leptos build --release
exec "$OFFICEFLOW_TARGET/release/officeflow" serve "$@"
