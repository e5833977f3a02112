#!/usr/bin/env bash
# The installer's check in the Wine lane: build it (NSIS, on Linux), check
# what it holds, then install and uninstall it silently in the lane's
# WINEPREFIX and check each step's traces: files, Start-menu entry, the
# "Installed apps" key, the autostart Run value; and that nothing is left.
#
# usage: installer.sh WORK ARTIFACTS   (WINEPREFIX set by the lane)
set -euo pipefail
work=$1 art=$2
repo="$(cd "$(dirname "$0")/../.." && pwd)"
wine=/usr/lib/wine/wine64
fail() { echo "installer: $*" >&2; exit 1; }

if [ ! -f "$repo/frontend/dist/index.html" ]; then
	(cd "$repo/frontend" && npm ci --no-audit --no-fund >&2 && npm run build >&2)
fi
# Signed with a throwaway code-signing certificate made here, so that the
# signing path (build/windows/sign.sh, NSIS's !finalize and
# !uninstfinalize) is what CI builds; a release uses the publisher's.
certs="$work/signing"
mkdir -p "$certs"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$certs/key.pem" -out "$certs/cert.pem" -days 2 \
	-subj "/CN=MCP Conductor CI signing" -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=digitalSignature" 2>/dev/null
export MCP_CONDUCTOR_SIGN_PASSWORD; MCP_CONDUCTOR_SIGN_PASSWORD=$(openssl rand -hex 16)
openssl pkcs12 -export -out "$certs/sign.pfx" -inkey "$certs/key.pem" -in "$certs/cert.pem" -passout env:MCP_CONDUCTOR_SIGN_PASSWORD
export MCP_CONDUCTOR_SIGN_PFX="$certs/sign.pfx"
setup=$(bash "$repo/build/windows/installer/build.sh" "$work/installer")
unset MCP_CONDUCTOR_SIGN_PFX MCP_CONDUCTOR_SIGN_PASSWORD
# signed FILE: its Authenticode signature is valid and made by that certificate.
signed() { osslsigncode verify -CAfile "$certs/cert.pem" -in "$1" 2>&1 | grep -q '^Signature verification: ok' || fail "$(basename "$1") is not signed by the build's certificate"; }
signed "$setup"
signed "$work/installer/mcp-conductor.exe"
# The check can fail: one byte changed in a copy, and the signature no longer holds.
cp "$setup" "$certs/tampered.exe"
printf 'X' | dd of="$certs/tampered.exe" bs=1 seek=4096 conv=notrunc 2>/dev/null
! osslsigncode verify -CAfile "$certs/cert.pem" -in "$certs/tampered.exe" >/dev/null 2>&1 || fail "a changed installer still verifies"
echo "signed: installer and app (a changed copy fails to verify)" >&2

# Contents: a 64-bit NSIS stub (a 32-bit one does nothing on 64-bit-only
# Wine) holding the app, its licence and the WebView2 bootstrapper.
7z l "$setup" > "$art/installer-contents.txt"
grep -q 'NSIS-3 Unicode 64-bit' "$art/installer-contents.txt" || fail "not a 64-bit Unicode NSIS installer"
for f in 'mcp-conductor.exe' 'LICENSE.txt' 'uninstall.exe' '$PLUGINSDIR/MicrosoftEdgeWebview2Setup.exe'; do
	grep -qF " $f" "$art/installer-contents.txt" || fail "the installer does not hold $f"
done
x86_64-w64-mingw32-objdump -f "$work/installer/mcp-conductor.exe" | grep -q 'pei-x86-64' || fail "the app is not a 64-bit Windows program"

user="$WINEPREFIX/drive_c/users/$(id -un)"
dir="$user/AppData/Local/Programs/MCP Conductor"
lnk="$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/MCP Conductor.lnk"
uninst='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MCPConductor'
run='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
reg() { "$wine" reg query "$@" 2>/dev/null | tr -d '\r'; }

"$wine" "$setup" /S /AUTOSTART
timeout 300 /usr/lib/wine/wineserver -w
for f in mcp-conductor.exe uninstall.exe LICENSE.txt; do
	[ -f "$dir/$f" ] || fail "installed: $dir/$f is missing"
done
[ -f "$lnk" ] || fail "installed: no Start-menu entry at $lnk"
# What the installer wrote is signed too: the app, and the uninstaller NSIS made.
signed "$dir/mcp-conductor.exe"
signed "$dir/uninstall.exe"
reg "$uninst" /v UninstallString | grep -q 'uninstall.exe' || fail "installed: no uninstall entry in $uninst"
reg "$run" /v 'MCP Conductor' | grep -q 'mcp-conductor.exe" --start-hidden' || fail "installed with /AUTOSTART: no Run value that starts the app hidden"
# The installed program runs (its headless face; the window needs WebView2,
# which Wine has not).
"$wine" "$dir/mcp-conductor.exe" --version 2>&1 | grep -q 'mcp-conductor' || fail "the installed program does not run"
echo "installed: files (signed), Start-menu entry, uninstall entry, autostart; the program runs" >&2

"$wine" "$dir/uninstall.exe" /S
timeout 300 /usr/lib/wine/wineserver -w
[ ! -e "$dir" ] || fail "uninstalled: $dir is still there: $(ls -A "$dir")"
[ ! -e "$lnk" ] || fail "uninstalled: the Start-menu entry is still there"
! reg "$uninst" >/dev/null || fail "uninstalled: $uninst is still there"
! reg "$run" /v 'MCP Conductor' | grep -q 'mcp-conductor' || fail "uninstalled: the Run value is still there"
echo "uninstalled: nothing left" >&2

# Without /AUTOSTART there is no Run value.
"$wine" "$setup" /S
timeout 300 /usr/lib/wine/wineserver -w
! reg "$run" /v 'MCP Conductor' | grep -q 'mcp-conductor' || fail "installed without /AUTOSTART: a Run value was written"
"$wine" "$dir/uninstall.exe" /S
timeout 300 /usr/lib/wine/wineserver -w
[ ! -e "$dir" ] || fail "second uninstall left $dir"
echo "PASS installer build, signatures, contents, silent install (with and without autostart), silent uninstall" >&2
