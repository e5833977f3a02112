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
# the PNG is copied as it is. On a Mac it is signed (see the end).
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
# Signing, on a Mac (codesign is Apple's): with MCP_CONDUCTOR_MACOS_IDENTITY (a
# "Developer ID Application: …" identity in the keychain) the bundle is signed
# with the hardened runtime and a secure timestamp, and with
# MCP_CONDUCTOR_NOTARY_PROFILE (a `xcrun notarytool store-credentials` profile)
# also notarised and stapled; without an identity it is signed ad hoc, so that
# the bundle's signature covers what it holds. Elsewhere nothing is signed.
if command -v codesign >/dev/null; then
  if [ -n "${MCP_CONDUCTOR_MACOS_IDENTITY:-}" ]; then
    codesign --force --options runtime --timestamp --sign "$MCP_CONDUCTOR_MACOS_IDENTITY" "$app" >&2
    if [ -n "${MCP_CONDUCTOR_NOTARY_PROFILE:-}" ]; then
      zip="$(mktemp -d)/app.zip"
      ditto -c -k --keepParent "$app" "$zip"
      xcrun notarytool submit "$zip" --keychain-profile "$MCP_CONDUCTOR_NOTARY_PROFILE" --wait >&2
      xcrun stapler staple "$app" >&2
    fi
  else
    codesign --force --sign - "$app" >&2
  fi
  codesign --verify --strict "$app" >&2
fi
echo "$app"
