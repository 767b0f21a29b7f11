#!/usr/bin/env bash
# Installs every build and test tool OfficeFlow needs, from the package registries only.
# Idempotent: each tool is checked first and installed only when missing or at the wrong version.
# Usage: scripts/install-tools.sh [build|test]   (test adds Chromium, chromedriver and CJK fonts)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate in Cargo.lock
BINARYEN_NPM_VERSION=132.0.0   # never Debian's binaryen 108: it breaks hydration
TOOLS_DIR="${OFFICEFLOW_TOOLS_DIR:-$HOME/.cache/officeflow/tools}"
what="${1:-build}"

say() { printf '\033[1;34m[tools]\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

ensure_toolchain() {
  # The toolchain rust-toolchain.toml pins; rustup may be set not to install it by itself.
  local channel
  channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  if ! rustup run "$channel" rustc --version >/dev/null 2>&1; then
    say "installing the Rust toolchain $channel"
    rustup toolchain install "$channel" --profile minimal -c rustfmt -c clippy -t wasm32-unknown-unknown
  fi
}

ensure_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
}

ensure_cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return; fi
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
}

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then return; fi
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Its published lock file pins webpki-roots 1.0.11, which the registry mirror lacks:
  # build from the crate's source with that one dependency pinned to 1.0.10.
  local work; work=$(mktemp -d)
  mkdir -p "$work/fetch/src" && touch "$work/fetch/src/lib.rs"
  cat > "$work/fetch/Cargo.toml" <<TOML
[package]
name = "fetch-wasm-bindgen-cli"
version = "0.0.0"
edition = "2021"
[dependencies]
wasm-bindgen-cli = "=$WASM_BINDGEN_VERSION"
TOML
  (cd "$work/fetch" && cargo fetch -q) || true
  local src
  src=$(ls -d "$HOME"/.cargo/registry/src/*/wasm-bindgen-cli-"$WASM_BINDGEN_VERSION" | head -n1)
  cp -r "$src" "$work/cli"
  (cd "$work/cli" && { cargo update -q -p webpki-roots --precise 1.0.10 2>/dev/null || true; } \
    && cargo install --path . --locked --root "$HOME/.cargo")
  rm -rf "$work"
}

ensure_wasm_opt() {
  if [ -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ] \
    && "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "${BINARYEN_NPM_VERSION%%.*}"; then
    return
  fi
  say "installing binaryen@$BINARYEN_NPM_VERSION (wasm-opt) from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --prefix "$TOOLS_DIR" --no-audit --no-fund "binaryen@$BINARYEN_NPM_VERSION"
}

ensure_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  # The HTTP load generator of the board's server-render figures (scripts/measure-board-load.sh).
  command -v wrk >/dev/null || missing+=(wrk)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_toolchain
ensure_target
ensure_cargo_leptos
ensure_wasm_bindgen
ensure_wasm_opt
if [ "$what" = test ]; then
  ensure_browser
fi
say "tools ready"
