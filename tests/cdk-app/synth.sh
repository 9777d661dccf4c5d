#!/usr/bin/env bash
# Synthesizes the CDK app here offline (no AWS account: the stack is environment-agnostic) and
# copies what the route reader reads (manifest.json, the stack and nested stack templates) into
# OUT (default: ../fixtures/cdk.out, the committed fixtures). Installs the pinned toolchain
# (package-lock.json) with `npm ci`. Synthesis is deterministic: the same inputs give the same
# bytes (asset hashes included), so `.ci/run` compares a fresh synthesis with the fixtures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../fixtures/cdk.out}"
cd "$here"
npm ci --no-audit --no-fund --silent
npx tsc
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CDK_DISABLE_VERSION_CHECK=1 npx cdk synth --no-notices --quiet --output "$work/cdk.out" >/dev/null
rm -rf "$out"
mkdir -p "$out"
cp "$work/cdk.out/manifest.json" "$work"/cdk.out/*.template.json "$out/"
