#!/usr/bin/env bash
# Builds the Debian package of the desktop app and checks it: its files, its
# metadata, that apt can satisfy its dependencies, and that the packaged
# binary runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deb=$(make -s deb | tail -1)
echo "== checking $deb"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/mcp-conductor ./usr/share/applications/mcp-conductor.desktop ./usr/share/icons/hicolor/256x256/apps/mcp-conductor.png; do
  grep -qF " $f" <<<"$contents" || { echo "package lacks $f" >&2; exit 1; }
done
[ "$(dpkg-deb --field "$deb" Package)" = mcp-conductor ] || { echo "bad Package field" >&2; exit 1; }
grep -q libwebkit2gtk-4.1-0 <<<"$(dpkg-deb --field "$deb" Depends)" || { echo "Depends lacks WebKitGTK" >&2; exit 1; }
apt-get install --simulate --no-install-recommends "$root/$deb" >/dev/null || { echo "apt cannot install $deb" >&2; exit 1; }
x=$(mktemp -d)
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$deb" "$x"
"$x/usr/bin/mcp-conductor" --version | grep -q '^mcp-conductor ' || { echo "packaged binary does not run" >&2; exit 1; }
desktop-file-validate "$x/usr/share/applications/mcp-conductor.desktop"
echo "deb: ok"
