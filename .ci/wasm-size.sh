#!/usr/bin/env bash
# The browser bundle's size (issue 24), measured the same way each time: the example page
# (examples/wasm-page) built as a user ships it (release, fat LTO, one codegen unit,
# opt-level "z", panic = "abort", std built for size), through wasm-bindgen (--target web) and
# `wasm-opt -Oz` (Debian's binaryen); prints the raw and gzipped (-9) size of the .wasm and of the
# JS glue; the same for the floor (examples/wasm-floor: the page's job by hand on the same crates);
# and, by twiggy, the page's largest items and both files' bytes by crate.
# Called by .ci/wasm.sh after the page is built; on its own: `bash .ci/wasm-size.sh`.
# `WASM_SIZE_IMMEDIATE_ABORT=1` also builds it with `-Cpanic=immediate-abort
# -Zlocation-detail=none` (no panic messages or source locations: on wasm32-unknown-unknown,
# without a panic hook, they are formatted and then dropped) and prints that size too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
wasm_cargo=$(bash .ci/setup-wasm.sh | tail -n 1)
wasm_tools=$(dirname "$wasm_cargo")
if ! command -v wasm-opt >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends binaryen >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends binaryen >/dev/null; }
fi
# twiggy (pinned) names what takes the space: installed beside wasm-bindgen on first use (~1 min).
twiggy_version=0.8.0
twiggy=$wasm_tools/twiggy
if ! "$twiggy" --version 2>/dev/null | grep -q " $twiggy_version"; then
  cargo install --quiet --locked twiggy --version "=$twiggy_version" --root "$(dirname "$wasm_tools")" >&2
fi
out=$root/target/wasm-size
mkdir -p "$out"

# The shipping profile, set from outside so the page's own Cargo.toml stays as CI tests it.
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_DEBUG=false
(cd examples/wasm-page && "$wasm_cargo" build --lib --release --target-dir "$out/build" \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
built=$out/build/wasm32-unknown-unknown/release/amplify_api_wasm_page.wasm
"$wasm_tools/wasm-bindgen" --target web --out-dir "$out/pkg" "$built"
# Name section kept in a copy for twiggy; the shipped file has none.
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals --debuginfo -o "$out/page.named.wasm" "$out/pkg/amplify_api_wasm_page_bg.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals --strip-debug --strip-producers \
  -o "$out/page.wasm" "$out/pkg/amplify_api_wasm_page_bg.wasm"

# The floor (examples/wasm-floor): the page's job by hand on the same crates, with none of the
# runtime's policy, built and optimized the same way; then the same on the browser's own
# `fetch` through web-sys (no reqwest, `http` or `url`). `floor NAME CARGO-ARGS...`
floor() {
  local name=$1
  shift
  (cd examples/wasm-floor && "$wasm_cargo" build --lib --release --target-dir "$out/build" "$@" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  "$wasm_tools/wasm-bindgen" --target web --out-dir "$out/$name-pkg" \
    "$out/build/wasm32-unknown-unknown/release/amplify_api_wasm_floor.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --strip-debug --strip-producers \
    -o "$out/$name.wasm" "$out/$name-pkg/amplify_api_wasm_floor_bg.wasm"
}
floor floor
floor floor-web-sys --no-default-features --features web-sys-fetch

size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
printf '\nwasm-size: examples/wasm-page as shipped (LTO, 1 CGU, opt-level z, panic=abort, wasm-opt -Oz)\n'
printf '| file | raw bytes | gzip -9 bytes |\n| --- | --- | --- |\n'
printf '| cargo output (before wasm-bindgen) | %s | %s |\n' "$(size "$built")" "$(gz "$built")"
printf '| page.wasm (wasm-bindgen + wasm-opt -Oz) | %s | %s |\n' "$(size "$out/page.wasm")" "$(gz "$out/page.wasm")"
printf '| amplify_api_wasm_page.js (glue) | %s | %s |\n' \
  "$(size "$out/pkg/amplify_api_wasm_page.js")" "$(gz "$out/pkg/amplify_api_wasm_page.js")"
printf '| the floor: examples/wasm-floor.wasm, the same job by hand (same crates, no policy) | %s | %s |\n' \
  "$(size "$out/floor.wasm")" "$(gz "$out/floor.wasm")"
printf '| the floor on the browser'"'"'s fetch (web-sys; no reqwest, http or url) | %s | %s |\n' \
  "$(size "$out/floor-web-sys.wasm")" "$(gz "$out/floor-web-sys.wasm")"
if [ "${WASM_SIZE_IMMEDIATE_ABORT:-0}" = 1 ]; then
  (cd examples/wasm-page && RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    "$wasm_cargo" build --lib --release --target-dir "$out/build-immediate-abort" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size) >&2
  "$wasm_tools/wasm-bindgen" --target web --out-dir "$out/pkg-immediate-abort" \
    "$out/build-immediate-abort/wasm32-unknown-unknown/release/amplify_api_wasm_page.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --strip-debug --strip-producers -o "$out/page-immediate-abort.wasm" \
    "$out/pkg-immediate-abort/amplify_api_wasm_page_bg.wasm"
  printf '| page.wasm, also -Cpanic=immediate-abort -Zlocation-detail=none | %s | %s |\n' \
    "$(size "$out/page-immediate-abort.wasm")" "$(gz "$out/page-immediate-abort.wasm")"
fi
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals --debuginfo -o "$out/floor.named.wasm" "$out/floor-pkg/amplify_api_wasm_floor_bg.wasm"
printf '\nlargest items of the page (twiggy top, shallow size, of a copy with names):\n'
"$twiggy" top -n 25 "$out/page.named.wasm"
"$twiggy" top -n 1000000 -f csv "$out/page.named.wasm" > "$out/page.top.csv"
"$twiggy" top -n 1000000 -f csv "$out/floor.named.wasm" > "$out/floor.top.csv"
printf '\nby crate, raw bytes (code by the crate its function is named in; "data" the data segments):\n'
python3 - "$out/page.top.csv" "$out/floor.top.csv" <<'PY'
import collections, csv, re, sys
def by_crate(path):
    sizes = collections.Counter()
    for row in csv.DictReader(open(path)):
        name = row["Name"]
        if "subsection" in name:
            continue
        crate = re.match(r"^<?&?(?:mut )?(?:dyn )?([a-z_0-9]+)\[", name)
        key = "data" if name.startswith("data segment") else crate.group(1) if crate else "(other)"
        sizes[key] += int(row["ShallowSize"])
    return sizes
page, floor = by_crate(sys.argv[1]), by_crate(sys.argv[2])
print("| crate | page | floor |\n| --- | --- | --- |")
for crate, size in page.most_common(16):
    print(f"| {crate} | {size} | {floor[crate]} |")
print(f"| all | {sum(page.values())} | {sum(floor.values())} |")
PY
