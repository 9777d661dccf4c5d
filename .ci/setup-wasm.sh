#!/usr/bin/env bash
# Installs what the wasm32 build and tests need on a Debian machine whose rustup cannot download
# a wasm32 std (the recipe proven in shared/tools/wasm): Debian's rustc-web + its library source
# (std built from source with -Zbuild-std), rust-lld, wasm-bindgen-cli pinned to the lock file's
# wasm-bindgen, Node (already on the machine) and, for browser runs, Chromium + ChromeDriver.
# Idempotent: what is installed is kept (wasm-bindgen-cli under target/wasm-tools).
# Prints the path of the `wasm-cargo` wrapper on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=${WASM_TOOLS:-$PWD/target/wasm-tools}
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
[ -n "$WBG_VERSION" ] || { echo "no wasm-bindgen in Cargo.lock" >&2; exit 1; }

pkgs=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 chromium chromium-driver)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
rel=$(/usr/bin/rustc -vV | sed -n 's/^release: //p')
src=$(readlink -f /usr/lib/rustlib/src/rust)
case "$src" in */rustc-"$rel") ;; *) echo "rustc-web $rel but rust-web-src is $src" >&2; exit 1;; esac
command -v rust-lld >/dev/null || { echo "rust-lld missing (rust-web-llvm / lld-22)" >&2; exit 1; }

mkdir -p "$TOOLS/bin"
if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $WBG_VERSION"; then
  # No --locked: wasm-bindgen-cli's own lock pins a crate version the registry here lacks.
  cargo install --quiet wasm-bindgen-cli --version "=$WBG_VERSION" --root "$TOOLS" >&2
fi

cat > "$TOOLS/bin/wasm-cargo" <<'WRAP'
#!/bin/sh
# Debian's cargo + rustc (with the matching library source), -Zbuild-std unlocked, for
# wasm32-unknown-unknown; wasm-bindgen's test runner on PATH.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
export PATH="$(dirname "$(readlink -f "$0")"):$PATH"
exec /usr/bin/cargo "$@"
WRAP
chmod +x "$TOOLS/bin/wasm-cargo"
echo "$TOOLS/bin/wasm-cargo"
