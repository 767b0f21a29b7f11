# Sourced by the scripts: where the tools and the build output are.
export PATH="$HOME/.cargo/bin:${OFFICEFLOW_TOOLS_DIR:-$HOME/.cache/officeflow/tools}/node_modules/.bin:$PATH"
OFFICEFLOW_TARGET="$(cargo metadata --format-version 1 --no-deps 2>/dev/null \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || echo target)"
export OFFICEFLOW_TARGET
export OFFICEFLOW_SITE_ROOT="${OFFICEFLOW_SITE_ROOT:-$PWD/target/site}"
