#!/usr/bin/env bash
# Debian packages the Windows lane needs (root): Wine 8.0 (64-bit only),
# NSIS for the installer, mingw-w64 for the stand-in DLL, 7-Zip to list the
# installer's contents, osslsigncode and openssl to sign it with a throwaway
# certificate and check the signatures. Without recommended packages.
set -euo pipefail
need=()
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v makensis >/dev/null || need+=(nsis)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v 7z >/dev/null || need+=(p7zip-full)
command -v osslsigncode >/dev/null || need+=(osslsigncode)
command -v openssl >/dev/null || need+=(openssl)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "the Windows lane needs these Debian packages: ${need[*]}; run 'sudo make wine-deps' once" >&2
	exit 1
fi
echo "apt-get install ${need[*]}" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2
