#!/usr/bin/env bash
# Installs what the desktop app's build and GUI tests need on a fresh Debian
# machine: GTK 3 and WebKitGTK 4.1 headers (cgo), Xvfb and a D-Bus daemon for
# a private desktop session, Chromium for the browser test, and the
# frontend's npm packages.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config xvfb dbus chromium fonts-dejavu-core desktop-file-utils
cd "$here/../frontend"
npm ci --no-audit --no-fund
