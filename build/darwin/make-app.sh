#!/usr/bin/env bash
# Lays out the macOS app bundle of the desktop app:
#   build/darwin/make-app.sh BINARY VERSION OUTDIR
# BINARY is built on a Mac with `go build -tags desktop,production` (cgo and
# Apple's SDK are needed; see docs/macos.md). The bundle is
#   OUTDIR/MCP Conductor.app/Contents/{Info.plist, MacOS/mcp-conductor,
#                                      Resources/iconfile.icns}
# Info.plist is build/darwin/Info.plist with its placeholders filled from
# wails.json; LSUIElement makes it a tray-first app (no Dock icon). On a Mac
# the icon is converted with sips and iconutil; elsewhere (the layout test)
# the PNG is copied as it is.
set -euo pipefail
bin=$1 version=${2#v} out=$3
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
app="$out/MCP Conductor.app"
name=$(sed -n 's/.*"outputfilename": *"\([^"]*\)".*/\1/p' "$root/wails.json")
product=$(sed -n 's/.*"productName": *"\([^"]*\)".*/\1/p' "$root/wails.json")
comments=$(sed -n 's/.*"comments": *"\([^"]*\)".*/\1/p' "$root/wails.json")
copyright=$(sed -n 's/.*"copyright": *"\([^"]*\)".*/\1/p' "$root/wails.json")
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
install -m755 "$bin" "$app/Contents/MacOS/$name"
sed -e "s|{{.Info.ProductName}}|$product|g" -e "s|{{.OutputFilename}}|$name|g" \
    -e "s|{{.Info.ProductVersion}}|$version|g" -e "s|{{.Info.Comments}}|$comments|g" \
    -e "s|{{.Info.Copyright}}|$copyright|g" "$here/Info.plist" > "$app/Contents/Info.plist"
if command -v iconutil >/dev/null && command -v sips >/dev/null; then
  set="$(mktemp -d)/iconfile.iconset"
  mkdir -p "$set"
  for s in 16 32 128 256 512; do
    sips -z $s $s "$root/build/appicon.png" --out "$set/icon_${s}x${s}.png" >/dev/null
    sips -z $((s*2)) $((s*2)) "$root/build/appicon.png" --out "$set/icon_${s}x${s}@2x.png" >/dev/null
  done
  iconutil -c icns "$set" -o "$app/Contents/Resources/iconfile.icns"
else
  cp "$root/build/appicon.png" "$app/Contents/Resources/iconfile.icns"
fi
echo "$app"
