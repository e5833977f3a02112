package tray

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// checkHost makes sure the session bus answers: the systray library's end
// function crashes if its start never connected.
func checkHost() error {
	if _, err := dbus.SessionBus(); err != nil {
		return fmt.Errorf("connecting to the D-Bus session bus: %w", err)
	}
	return nil
}

// Visible reports whether a StatusNotifierItem host (the panel that draws
// tray icons) is registered on the session bus, with a sentence saying why
// not when it is not. Without a host the icon is registered but nowhere
// drawn (GNOME without the AppIndicator extension, for example).
func Visible(ctx context.Context) (bool, string) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false, "There is no D-Bus session bus, so no tray icon."
	}
	obj := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher")
	var v dbus.Variant
	err = obj.CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierWatcher", "IsStatusNotifierHostRegistered").Store(&v)
	if err != nil {
		return false, "This desktop shows no tray icons (on GNOME, the AppIndicator extension adds them), so closing this window quits MCP Conductor."
	}
	if ok, _ := v.Value().(bool); !ok {
		return false, "No panel shows tray icons now, so closing this window quits MCP Conductor."
	}
	return true, ""
}
