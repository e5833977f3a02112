package notify

import (
	"context"
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"
)

const (
	busName = "org.freedesktop.Notifications"
	busPath = "/org/freedesktop/Notifications"
	iface   = "org.freedesktop.Notifications"
)

// Notifier shows notifications through the desktop's notification server.
// It is safe for concurrent use.
type Notifier struct {
	opts Options
	conn *dbus.Conn
	sigs chan *dbus.Signal

	mu      sync.Mutex
	onClick map[uint32]func()
	// early are clicks on ids Show has not returned yet: the server may
	// send the signal before its reply to Notify reaches us.
	early map[uint32]bool
}

// New connects to the session bus (a connection of its own, so that its
// signals are not mixed with the tray's) and follows clicks.
func New(opts Options) (*Notifier, error) {
	var conn *dbus.Conn
	var err error
	if opts.Address == "" {
		conn, err = dbus.ConnectSessionBus()
	} else {
		conn, err = dbus.Connect(opts.Address)
	}
	if err != nil {
		return nil, fmt.Errorf("connecting to the D-Bus session bus for notifications: %w", err)
	}
	n := &Notifier{opts: opts, conn: conn, sigs: make(chan *dbus.Signal, 16), onClick: map[uint32]func(){}, early: map[uint32]bool{}}
	for _, member := range []string{"ActionInvoked", "NotificationClosed"} {
		if err := conn.AddMatchSignal(dbus.WithMatchInterface(iface), dbus.WithMatchMember(member), dbus.WithMatchObjectPath(busPath)); err != nil {
			conn.Close()
			return nil, fmt.Errorf("following notification clicks: %w", err)
		}
	}
	conn.Signal(n.sigs)
	go n.follow()
	return n, nil
}

// follow runs the click handlers of the notifications clicked, and forgets
// those closed. It ends when the connection closes.
func (n *Notifier) follow() {
	for s := range n.sigs {
		if len(s.Body) < 1 {
			continue
		}
		id, _ := s.Body[0].(uint32)
		n.mu.Lock()
		f := n.onClick[id]
		switch {
		case s.Name == iface+".NotificationClosed":
			delete(n.onClick, id)
			f = nil
		case f == nil && len(n.early) < 16:
			n.early[id] = true
		}
		n.mu.Unlock()
		if s.Name == iface+".ActionInvoked" && f != nil {
			go f()
		}
	}
}

// Show shows msg and returns its id (for Withdraw).
func (n *Notifier) Show(ctx context.Context, msg Notification) (uint32, error) {
	var actions []string
	if msg.OnClick != nil {
		actions = []string{"default", "Open"} // "default" is a click on the notification itself
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(2)), "category": dbus.MakeVariant("im.received")}
	var id uint32
	err := n.conn.Object(busName, busPath).CallWithContext(ctx, iface+".Notify", 0,
		n.opts.AppName, uint32(0), "dialog-question", msg.Title, msg.Body, actions, hints, int32(0)).Store(&id)
	if err != nil {
		return 0, fmt.Errorf("showing a desktop notification: %w", err)
	}
	if msg.OnClick != nil {
		n.mu.Lock()
		n.onClick[id] = msg.OnClick
		clicked := n.early[id]
		n.mu.Unlock()
		if clicked {
			go msg.OnClick()
		}
	}
	n.mu.Lock()
	clear(n.early) // any other early click was for a notification not ours
	n.mu.Unlock()
	return id, nil
}

// Withdraw closes the notification id, if it is still shown.
func (n *Notifier) Withdraw(ctx context.Context, id uint32) error {
	n.mu.Lock()
	delete(n.onClick, id)
	n.mu.Unlock()
	if err := n.conn.Object(busName, busPath).CallWithContext(ctx, iface+".CloseNotification", 0, id).Err; err != nil {
		return fmt.Errorf("closing a desktop notification: %w", err)
	}
	return nil
}

// Close disconnects.
func (n *Notifier) Close() error { return n.conn.Close() }
