#!/usr/bin/env bash
# Packs the desktop app into a Debian package:
#   build/linux/package-deb.sh BINARY VERSION OUTDIR
# BINARY is built with `go build -tags desktop,production,webkit2_41`.
# The package installs the binary, its .desktop entry and icon, and depends on
# the GTK and WebKitGTK runtime libraries (not their -dev packages).
set -euo pipefail
bin=$1 version=${2#v} out=$3
here="$(cd "$(dirname "$0")" && pwd)"
arch=$(dpkg --print-architecture)
# Debian versions must start with a digit; 0.1.0-dev becomes 0.1.0~dev.
version=${version//-/\~}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -Dm755 "$bin" "$root/usr/bin/mcp-conductor"
install -Dm644 "$here/mcp-conductor.desktop" "$root/usr/share/applications/mcp-conductor.desktop"
install -Dm644 "$here/mcp-conductor.png" "$root/usr/share/icons/hicolor/256x256/apps/mcp-conductor.png"
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: mcp-conductor
Version: $version
Section: devel
Priority: optional
Architecture: $arch
Depends: libgtk-3-0 | libgtk-3-0t64, libwebkit2gtk-4.1-0
Recommends: ca-certificates
Maintainer: MCP Conductor <maintainers@mcp-conductor.invalid>
Description: run AI-written TypeScript safely, for your AI tools
 MCP Conductor is an MCP server (and tray app) whose run_deno_code tool runs
 model-written TypeScript in a fresh, sandboxed Deno process whose
 permissions the administrator sets. It also proxies other MCP servers.
CONTROL
mkdir -p "$out"
deb="$out/mcp-conductor_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
