#!/usr/bin/env bash
# Signs a Windows program in place with Authenticode (osslsigncode, Debian's
# osslsigncode package), when a code-signing certificate is configured:
#
#   MCP_CONDUCTOR_SIGN_PFX       the certificate and its key, PKCS#12 (.pfx)
#   MCP_CONDUCTOR_SIGN_PASSWORD  its password (read through a pipe, never
#                                put on a command line)
#   MCP_CONDUCTOR_SIGN_TIMESTAMP an RFC 3161 time-stamping URL (optional;
#                                without it a signature stops being valid
#                                when the certificate expires)
#
# Without MCP_CONDUCTOR_SIGN_PFX it does nothing: a local build is unsigned.
# The installer's build runs it on the app, and NSIS runs it on the
# installer and on the uninstaller it holds (!finalize, !uninstfinalize).
#
# usage: sign.sh FILE
set -euo pipefail
f=$1
[ -n "${MCP_CONDUCTOR_SIGN_PFX:-}" ] || exit 0
command -v osslsigncode >/dev/null || { echo "sign.sh: signing needs osslsigncode (Debian package osslsigncode)" >&2; exit 1; }
[ -r "$MCP_CONDUCTOR_SIGN_PFX" ] || { echo "sign.sh: cannot read the certificate $MCP_CONDUCTOR_SIGN_PFX (MCP_CONDUCTOR_SIGN_PFX)" >&2; exit 1; }
ts=()
[ -z "${MCP_CONDUCTOR_SIGN_TIMESTAMP:-}" ] || ts=(-ts "$MCP_CONDUCTOR_SIGN_TIMESTAMP")
tmp="$f.signing"
trap 'rm -f "$tmp"' EXIT
osslsigncode sign -pkcs12 "$MCP_CONDUCTOR_SIGN_PFX" -readpass <(printf '%s' "${MCP_CONDUCTOR_SIGN_PASSWORD:-}") \
	-h sha256 -n "MCP Conductor" -i "https://github.com/mcp-conductor/mcp-conductor" "${ts[@]}" \
	-in "$f" -out "$tmp" >/dev/null
mv -f "$tmp" "$f"
echo "signed $(basename "$f")" >&2
