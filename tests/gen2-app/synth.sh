#!/usr/bin/env bash
# Synthesizes the Amplify Gen 2 backend here offline, as `npx ampx sandbox` would before
# deploying (no AWS account: `cdk synth` with the backend identity `ampx` passes as context),
# and copies what the route reader reads (manifest.json, the stack and nested stack templates)
# into OUT (default: ../fixtures/gen2/.amplify/artifacts/cdk.out, beside the hand-written
# amplify_outputs.json whose `custom.API` names the API). Installs the pinned toolchain
# (package-lock.json) from package-lock.json. Deterministic: `.ci/run` compares a fresh synthesis with
# the committed fixtures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../fixtures/gen2/.amplify/artifacts/cdk.out}"
cd "$here"
# `npm ci` refuses this lock file (npm sees the peer dependencies of packages that bundle their
# own as missing), so `npm install` from it, without rewriting it.
npm install --no-audit --no-fund --no-save --silent
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CDK_DISABLE_VERSION_CHECK=1 npx cdk synth --no-notices --quiet --app 'npx tsx amplify/backend.ts' \
  --output "$work/cdk.out" \
  --context amplify-backend-namespace=gen2app \
  --context amplify-backend-name=sandbox \
  --context amplify-backend-type=sandbox >/dev/null
rm -rf "$out"
mkdir -p "$out"
cp "$work/cdk.out/manifest.json" "$work"/cdk.out/*.template.json "$out/"
