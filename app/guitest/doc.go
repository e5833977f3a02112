// Package guitest drives the real desktop app, built with the desktop build
// tags, under Xvfb and a private D-Bus session bus: the tray over
// StatusNotifierItem/dbusmenu, the window over X11, and screenshots of it.
//
// The tests build only with the "gui" tag:
//
//	go test -tags gui -timeout 20m ./app/guitest/
//
// They need Xvfb, dbus-daemon, GTK 3, WebKitGTK 4.1 and libX11 (see
// docs/gui.md); a missing one fails the run rather than skipping it.
// Screenshots and app logs go to $CONDUCTOR_ARTIFACTS (default: a new
// temporary folder, printed by the run).
package guitest
