#!/usr/bin/env bash
# Proves the sandbox on a Mac (these machines have none): installs the
# macOS Deno from npm, then runs the engine's tests and the adversarial
# end-to-end suite with the Seatbelt layer required. Run on macOS 13+ with
# Go and Node.js: `make check-macos`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -s)" = Darwin ] || { echo "check-macos runs on macOS" >&2; exit 1; }
export CI=true MCP_CONDUCTOR_CONFINEMENT=require
npm ci --no-audit --no-fund >&2
arch=$(uname -m); [ "$arch" = x86_64 ] && arch=x64
export MCP_CONDUCTOR_DENO="$PWD/node_modules/@deno/darwin-$arch/deno"
go test -count=1 ./conductor/... ./internal/...
# The adversarial suite; tests that read Linux-only places (/proc) say so.
go test -count=1 -run 'Escape|PathIdentity|Channel|WebStorage|Allowlist|SettingsValues|Positions|Limits|NetGrant' ./test/e2e/
