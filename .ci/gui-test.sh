#!/usr/bin/env bash
# Runs the desktop app's own tests: the frontend's build, lint and unit tests, then
# the GUI tests (the Go tests of app/..., its bindings on the real engine, run
# with every other package in `make test-engine`): the real app (go build -tags desktop,production,webkit2_41) under
# Xvfb and a private D-Bus session bus, and the browser end-to-end test
# through Wails' dev server (real Deno, real upstream MCP server).
# Screenshots and app logs go to $CONDUCTOR_ARTIFACTS (default
# .ci/artifacts/gui). Run .ci/gui-deps.sh first on a fresh machine. Nothing
# is skipped: a missing tool, library or package fails the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CI="${CI:-true}"
# The real Deno, Pyodide and the upstream MCP servers the tests drive (npm packages).
if [ ! -x node_modules/@deno/linux-x64-glibc/deno ] || [ ! -f node_modules/@modelcontextprotocol/server-everything/dist/index.js ] || [ ! -f node_modules/pyodide/pyodide.asm.wasm ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -d frontend/node_modules ]; then
  echo "frontend/node_modules is missing: run .ci/gui-deps.sh (or cd frontend && npm ci)" >&2
  exit 1
fi
cd "$root/frontend"
# Installed before the lock last changed (a pull, a branch switch): the
# build or the lint would miss a package.
if [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
# eslint: typescript-eslint, React hooks, jsx-a11y, TanStack Query (eslint.config.js); warnings fail too.
npm run lint
npx vitest run
cd "$root"
# The desktop build's own files (the window, the crashed-page hook, the
# embedded frontend) need GTK and the built frontend, so they are vetted
# here rather than in make vet (staticcheck: the version make vet pins).
go vet -tags desktop,production,webkit2_41 . ./app/...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags desktop,production,webkit2_41 . ./app/...
export MCP_CONDUCTOR_DENO="${MCP_CONDUCTOR_DENO:-$root/node_modules/@deno/linux-x64-glibc/deno}"
export CONDUCTOR_ARTIFACTS="${CONDUCTOR_ARTIFACTS:-$root/.ci/artifacts/gui}"
mkdir -p "$CONDUCTOR_ARTIFACTS"
echo "== GUI tests; screenshots and logs go to $CONDUCTOR_ARTIFACTS"
go test -tags gui -count=1 -timeout 25m -v ./app/guitest/
