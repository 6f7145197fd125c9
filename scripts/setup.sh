#!/usr/bin/env bash
# Installs what Lophoc needs to build and test, skipping what is already
# there (run by `make run`, `make test` and `make bench`). Only package
# registries are reachable on our machines, so every tool comes from one:
# see README.md, "Toolchain", for the versions and why.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="${LOPHOC_TOOLS:-$HOME/.cache/lophoc/tools}"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# Rust target for the client.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# trunk (0.22 needs a newer rustc than ours).
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes, once per machine)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli: exactly the version in Cargo.lock.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION"; then
  say "installing wasm-bindgen-cli $WBG_VERSION"
  cargo install --locked wasm-bindgen-cli --version "$WBG_VERSION" \
    || cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

# wasm-split-cli: cuts the .wasm at the split points (scripts/split-wasm.sh);
# its 0.2 line matches the wasm_split_helpers 0.2 that Leptos uses.
WSPLIT_VERSION=0.2.3
if ! cargo install --list | grep -q "^wasm_split_cli_support v$WSPLIT_VERSION:"; then
  say "installing wasm-split-cli $WSPLIT_VERSION"
  cargo install --locked wasm_split_cli_support --version "$WSPLIT_VERSION" --features build-binary
fi

# wasm-opt from npm's binaryen (Debian's wasm-opt 108 breaks the module).
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION"
fi

# Chromium and its driver for browser tests, brotli for precompressing,
# PostgreSQL for the server's tests on the second engine (scripts/pg-cluster.sh
# runs a throwaway cluster of its own; the package's own cluster is not used).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v brotli >/dev/null || missing+=(brotli)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Caddy, the HTTPS proxy of docs/deploy.md, for the end-to-end test of
# deploy/Caddyfile (e2e/tests/deploy_proxy.test.mjs): only its binary,
# unpacked from Debian's package into the tools folder. Installing the
# package would also start a Caddy on port 80 of this machine.
if [ ! -x "$TOOLS/caddy/usr/bin/caddy" ]; then
  say "unpacking Debian's caddy into $TOOLS/caddy"
  caddy_work="$(mktemp -d)"
  if ! (cd "$caddy_work" && apt-get download -qq caddy 2>/dev/null); then
    apt-get update -qq
    (cd "$caddy_work" && apt-get download -qq caddy)
  fi
  mkdir -p "$TOOLS/caddy"
  dpkg-deb -x "$caddy_work"/caddy_*.deb "$TOOLS/caddy"
  rm -rf "$caddy_work"
fi

# End-to-end test and benchmark drivers (playwright-core drives Debian's
# Chromium; it never downloads a browser).
if [ ! -f e2e/node_modules/.package-lock.json ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "installing the end-to-end test packages"
  npm ci --silent --no-audit --no-fund --prefix e2e
fi

# Crates, so trunk's offline build finds them.
cargo fetch --quiet
