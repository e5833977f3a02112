#!/usr/bin/env bash
# Builds the frontend, runs its unit tests, then the desktop GUI tests: the
# real app (go build -tags desktop,production,webkit2_41) under Xvfb and a
# private D-Bus session bus, and a headless-Chromium test through Wails' dev
# server. Screenshots and app logs go to $CONDUCTOR_ARTIFACTS (default
# .ci/artifacts/gui). Run .ci/gui-deps.sh first on a fresh machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/frontend"
npm run build
npx vitest run
cd "$root"
export CONDUCTOR_ARTIFACTS="${CONDUCTOR_ARTIFACTS:-$root/.ci/artifacts/gui}"
mkdir -p "$CONDUCTOR_ARTIFACTS"
go test -tags gui -count=1 -timeout 25m -v ./app/guitest/
