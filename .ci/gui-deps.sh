#!/usr/bin/env bash
# Installs what the desktop app's build and GUI tests need on a fresh Debian
# machine, and nothing more: no recommended packages (they pulled in
# avahi-daemon, CUPS and Samba libraries and upgraded systemd).
#   libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config   the cgo build of the app
#   xvfb dbus                                       a private X display and session bus
#   libxtst-dev                                     keys typed into the real window (XTest)
#   libgl1-mesa-dri                                 software GL under Xvfb (LIBGL_ALWAYS_SOFTWARE)
#   chromium fonts-dejavu-core                      the browser end-to-end test
#   desktop-file-utils                              desktop-file-validate in make test-deb
# Then the frontend's npm packages.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
  libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config \
  xvfb dbus libgl1-mesa-dri libxtst-dev \
  chromium fonts-dejavu-core \
  desktop-file-utils
cd "$here/../frontend"
npm ci --no-audit --no-fund
