#!/usr/bin/env bash
# Proves on a real Windows 10/11 what the Wine lane cannot (these machines
# have only Wine): the kernel layer (job limits, low-integrity token,
# restricting SIDs, integrity labels, access entries), owner-only access
# lists, links and junctions, and the single-instance pipe. Installs the
# Windows Deno and the MCP servers from npm, then runs the engine's tests,
# the end-to-end suite and the pipe's with the kernel layer required, so a
# layer that stops Deno fails instead of being dropped. Nothing is excluded
# here: every test Wine skips for what it lacks runs.
# Run in Git Bash with Go and Node.js on PATH: `make check-windows`, or
# `bash .ci/check-windows.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -s)" in
MINGW* | MSYS* | CYGWIN*) ;;
*) echo "check-windows runs on Windows, in Git Bash" >&2; exit 1 ;;
esac
export CI=true MCP_CONDUCTOR_CONFINEMENT=require
npm ci --no-audit --no-fund >&2
# Windows' own spelling of this folder (C:/...), not Git Bash's (/c/...),
# which Go and Deno would not find; set here, as make exports Linux's.
root=$(pwd -W)
export MCP_CONDUCTOR_DENO="$root/node_modules/@deno/win32-x64/deno.exe"
export MCP_CONDUCTOR_PYODIDE="$root/node_modules/pyodide"
go test -count=1 -timeout 30m ./conductor/... ./internal/... ./app/instance/ ./app/autostart/
go test -count=1 -timeout 30m ./test/e2e/
