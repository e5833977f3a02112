#!/usr/bin/env bash
# Writes a Go build overlay (go build -overlay) that works around Wine 8.0's
# missing FileDispositionInformationEx: Wine answers STATUS_NOT_IMPLEMENTED
# (0xC0000002), which Go's internal/syscall/windows.Deleteat does not take as
# "use the fallback", so os.Remove and os.RemoveAll fail on every file
# ("unlinkat: Invalid function"). The overlay adds that status to the ones
# that take the fallback (FileDispositionInfo, which Wine has). Real Windows
# never answers it; only binaries built for the Wine lane use the overlay.
#
# usage: overlay.sh OUTDIR   (prints the overlay file's path)
set -euo pipefail
out=$1
src="$(go env GOROOT)/src/internal/syscall/windows/at_windows.go"
mkdir -p "$out"
patched="$out/at_windows.go"
marker='		STATUS_NOT_SUPPORTED:     // the file system doesn'"'"'t support FILE_DISPOSITION_INFORMATION_EX or one of the flags'
grep -qF "$marker" "$src" || { echo "overlay.sh: $src changed: the line to patch is gone; update .ci/wine/overlay.sh for this Go version" >&2; exit 1; }
awk -v m="$marker" '$0 == m { print "\t\tNTStatus(0xC0000002), // Wine 8.0: STATUS_NOT_IMPLEMENTED (the Wine lane'"'"'s overlay)"; print; next } { print }' "$src" > "$patched"
printf '{"Replace":{"%s":"%s"}}\n' "$src" "$patched" > "$out/overlay.json"
echo "$out/overlay.json"
