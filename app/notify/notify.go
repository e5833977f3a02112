// Package notify shows desktop notifications that bring the app forward
// when clicked. On Linux it speaks org.freedesktop.Notifications over the
// D-Bus session bus (godbus, which the tray already uses); elsewhere New
// returns ErrUnsupported.
package notify

import "errors"

// ErrUnsupported is returned by New where the app has no notifications.
var ErrUnsupported = errors.New("desktop notifications are not supported on this system yet")

// Notification is one message to show.
type Notification struct {
	Title string
	Body  string
	// OnClick, if set, runs (on a goroutine of its own) when the person
	// clicks the notification.
	OnClick func()
}

// Options configure New.
type Options struct {
	// AppName names the sender, as the desktop shows it.
	AppName string
	// Address is the D-Bus address to use; "" is the session bus.
	Address string
}
