#!/usr/bin/env bash
# Builds the Windows installer on Linux: the desktop app for Windows (the
# frontend must be built: cd frontend && npm ci && npm run build), then
# NSIS (Debian's nsis package) around it, with Microsoft's WebView2
# bootstrapper taken from the Wails module (internal/webview2runtime), which
# go.sum already pins. With MCP_CONDUCTOR_SIGN_PFX set, the app, the
# installer and the uninstaller are signed (../sign.sh).
#
# usage: build.sh OUTDIR [VERSION]   → OUTDIR/mcp-conductor-setup.exe
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
version=${2:-0.1.0}
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cd "$repo"
[ -f frontend/dist/index.html ] || { echo "build.sh: frontend/dist is missing: run (cd frontend && npm ci && npm run build) first" >&2; exit 1; }
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags desktop,production -ldflags "-H windowsgui -X main.version=$version" -o "$out/mcp-conductor.exe" .
wails=$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)
webview2="$wails/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe"
[ -f "$webview2" ] || { echo "build.sh: no WebView2 bootstrapper at $webview2" >&2; exit 1; }
# Signed when a certificate is configured (see ../sign.sh): the app here,
# the installer and its uninstaller by NSIS as it writes them.
sign=()
if [ -n "${MCP_CONDUCTOR_SIGN_PFX:-}" ]; then
	bash "$here/../sign.sh" "$out/mcp-conductor.exe"
	sign=(-DSIGN="$here/../sign.sh")
fi
makensis -V2 -DVERSION="$version" -DEXE="$out/mcp-conductor.exe" -DWEBVIEW2="$webview2" "${sign[@]}" \
	-DOUTFILE="$out/mcp-conductor-setup.exe" "$here/mcp-conductor.nsi" >&2
echo "$out/mcp-conductor-setup.exe"
