#!/usr/bin/env bash
# The browser (issue 14): installs the wasm toolchain (.ci/setup-wasm.sh), builds the runtime and
# the example page (examples/wasm-page) for wasm32-unknown-unknown, starts the emulator as a
# native process (CORS answered) and runs the wasm tests (examples/wasm-page/tests/web.rs) in Node
# and in headless Chromium against it, then stops it. Everything it builds is cached under
# target/wasm (first run ~15 min with the toolchain install, later runs ~2 min).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
wasm_target=$root/target/wasm
wasm_cargo=$(bash .ci/setup-wasm.sh | tail -n 1)
wasm_tools=$(dirname "$wasm_cargo")
step() { printf '\n==> %s\n' "$*"; }

# The wasm32 builds get no `-D warnings` (it would reach the rebuilt std); a warning of ours
# (code only native targets use) fails the step here instead.
no_warnings() {
  if grep -E '^warning: `amplify-api' "$1"; then
    echo "the wasm32 build of amplify-api has warnings (above)" >&2
    exit 1
  fi
}

step "the runtime for wasm32-unknown-unknown"
mkdir -p "$wasm_target"
"$wasm_cargo" build -p amplify-api --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
  --target-dir "$wasm_target" 2>&1 | tee "$wasm_target/runtime.log"
no_warnings "$wasm_target/runtime.log"

step "the runtime with user-pool sign-in (feature user-pool) for wasm32-unknown-unknown"
"$wasm_cargo" check -p amplify-api --features user-pool --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort --target-dir "$wasm_target" 2>&1 | tee "$wasm_target/user-pool.log"
no_warnings "$wasm_target/user-pool.log"

step "the example page (examples/wasm-page) and its JS bindings"
(cd examples/wasm-page && "$wasm_cargo" build --lib --release --target-dir "$wasm_target")
"$wasm_tools/wasm-bindgen" --target web --out-dir "$wasm_target/page-pkg" \
  "$wasm_target/wasm32-unknown-unknown/release/amplify_api_wasm_page.wasm"

step "the emulator as a process (examples/examples/emulator_server.rs)"
cargo build -q -p examples --example emulator_server
emulator_pid=
stop_emulator() { [ -z "$emulator_pid" ] || { kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; }; }
trap stop_emulator EXIT
target/debug/examples/emulator_server > "$wasm_target/emulator.json" 2> "$wasm_target/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$wasm_target/emulator.json" ] && break; sleep 0.1; done
AMPLIFY_API_EMULATOR=$(head -n 1 "$wasm_target/emulator.json")
[ -n "$AMPLIFY_API_EMULATOR" ] || { echo "the emulator printed no URLs" >&2; exit 1; }
export AMPLIFY_API_EMULATOR
echo "$AMPLIFY_API_EMULATOR"

step "wasm tests in Node"
(cd examples/wasm-page && "$wasm_cargo" test --tests --target-dir "$wasm_target")

step "the bundle's floor (examples/wasm-floor) does the page's job, in Node (reqwest, then web-sys fetch)"
(cd examples/wasm-floor && "$wasm_cargo" test --tests --target-dir "$wasm_target" \
  && "$wasm_cargo" test --tests --no-default-features --features web-sys-fetch --target-dir "$wasm_target")

step "wasm tests in headless Chromium"
cat > "$wasm_target/webdriver.json" <<JSON
{ "goog:chromeOptions": { "binary": "/usr/bin/chromium",
  "args": ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--user-data-dir=$wasm_target/chrome-profile"] } }
JSON
(cd examples/wasm-page && WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$wasm_target/webdriver.json" \
  "$wasm_cargo" test --tests --target-dir "$wasm_target")

step "the example page's size as a user ships it (.ci/wasm-size.sh)"
bash .ci/wasm-size.sh
