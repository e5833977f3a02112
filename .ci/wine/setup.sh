#!/usr/bin/env bash
# Prepares the Wine lane in a throwaway folder: a fresh 64-bit WINEPREFIX,
# the stand-in bcryptprimitives.dll in its system32, and a copy of the
# Windows Deno patched for Wine 8.0. Everything it makes is under $1.
#
# The workarounds (each only for Wine 8.0; real Windows needs none):
#   bcryptprimitives.c  Wine lacks ProcessPrng, which Go's runtime (1.24+)
#                       and Rust's standard library (deno.exe) import.
#   the Deno patch      V8 crashes ("SegmentedTable::InitializeTable
#                       (subspace allocation)") because Wine lacks
#                       MEM_RESERVE_PLACEHOLDER; renaming the string
#                       "MapViewOfFile3" that V8 looks up makes it take its
#                       fallback path (no placeholders).
#   overlay.sh          os.Remove/RemoveAll fail under Wine: see there.
set -euo pipefail
work=$1
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine=/usr/lib/wine/wine64
mkdir -p "$work/deno"
"$wine" wineboot -i >/dev/null 2>&1
# Node.js 22 refuses to start below Windows 8.1: make the prefix Windows 10.
"$wine" reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
	"$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
src="$repo/test/windows/node_modules/@deno/win32-x64/deno.exe"
cp "$src" "$work/deno/deno.exe"
# The string is null-terminated ASCII; the replacement has the same length.
n=$(grep -c -a 'MapViewOfFile3' "$work/deno/deno.exe" || true)
[ "$n" -ge 1 ] || { echo "setup.sh: deno.exe has no MapViewOfFile3 to rename; update the Deno patch for this version" >&2; exit 1; }
perl -0777 -pi -e 's/MapViewOfFile3\0/MapViewOfFileX\0/g' "$work/deno/deno.exe"
"$wine" "$work/deno/deno.exe" --version >&2
