//go:build gui

package guitest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// watcher is a minimal org.kde.StatusNotifierWatcher, standing in for the
// desktop panel that would otherwise collect tray icons.
type watcher struct {
	mu    sync.Mutex
	items []string // "sender path" as registered
	reg   chan string
}

const (
	watcherName  = "org.kde.StatusNotifierWatcher"
	watcherPath  = "/StatusNotifierWatcher"
	watcherIface = "org.kde.StatusNotifierWatcher"
)

// RegisterStatusNotifierItem is what a tray icon calls to announce itself.
func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w.mu.Lock()
	w.items = append(w.items, string(sender)+" "+service)
	w.mu.Unlock()
	select {
	case w.reg <- string(sender) + " " + service:
	default:
	}
	return nil
}

// RegisterStatusNotifierHost is what a panel calls; nothing to do here.
func (w *watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// startWatcher owns the watcher's name on conn; hostRegistered is what its
// IsStatusNotifierHostRegistered property says.
func startWatcher(conn *dbus.Conn, hostRegistered bool) (*watcher, error) {
	w := &watcher{reg: make(chan string, 8)}
	if err := conn.Export(w, watcherPath, watcherIface); err != nil {
		return nil, fmt.Errorf("exporting the watcher: %w", err)
	}
	_, err := prop.Export(conn, watcherPath, prop.Map{watcherIface: {
		"IsStatusNotifierHostRegistered": {Value: hostRegistered, Emit: prop.EmitFalse},
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitFalse},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitFalse},
	}})
	if err != nil {
		return nil, fmt.Errorf("exporting the watcher's properties: %w", err)
	}
	reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, fmt.Errorf("owning %s: reply %v, %v", watcherName, reply, err)
	}
	return w, nil
}

// waitItem waits for an item to register and returns its bus name and path.
func (w *watcher) waitItem(ctx context.Context) (dest string, path dbus.ObjectPath, err error) {
	select {
	case <-ctx.Done():
		return "", "", fmt.Errorf("no StatusNotifierItem registered with the watcher: %w", ctx.Err())
	case s := <-w.reg:
		sender, service, _ := strings.Cut(s, " ")
		// The spec allows a bus name or an object path (on the sender).
		if strings.HasPrefix(service, "/") {
			return sender, dbus.ObjectPath(service), nil
		}
		return service, "/StatusNotifierItem", nil
	}
}

// menuNode is one dbusmenu entry from GetLayout.
type menuNode struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []menuNode
}

func (n menuNode) label() string {
	s, _ := n.Props["label"].Value().(string)
	return s
}

func (n menuNode) str(key string) string {
	s, _ := n.Props[key].Value().(string)
	return s
}

func (n menuNode) enabled() bool {
	v, ok := n.Props["enabled"]
	if !ok {
		return true // the dbusmenu default
	}
	b, _ := v.Value().(bool)
	return b
}

func (n menuNode) visible() bool {
	v, ok := n.Props["visible"]
	if !ok {
		return true
	}
	b, _ := v.Value().(bool)
	return b
}

func (n menuNode) toggleState() int32 {
	v, _ := n.Props["toggle-state"].Value().(int32)
	return v
}

// find returns the first visible node whose label starts with prefix.
func (n menuNode) find(prefix string) (menuNode, bool) {
	for _, c := range n.Children {
		if c.visible() && strings.HasPrefix(c.label(), prefix) {
			return c, true
		}
		if f, ok := c.find(prefix); ok {
			return f, true
		}
	}
	return menuNode{}, false
}

// outline renders the visible menu one entry a line, for assertions and logs.
func (n menuNode) outline(depth int) []string {
	var lines []string
	for _, c := range n.Children {
		if !c.visible() {
			continue
		}
		l := strings.Repeat("  ", depth)
		switch {
		case c.str("type") == "separator":
			l += "---"
		default:
			l += c.label()
			if !c.enabled() {
				l += " [disabled]"
			}
			if c.str("toggle-type") == "checkmark" {
				l += fmt.Sprintf(" [check=%d]", c.toggleState())
			}
			if c.str("children-display") == "submenu" {
				l += " [submenu]"
			}
		}
		lines = append(lines, l)
		lines = append(lines, c.outline(depth+1)...)
	}
	return lines
}

func parseNode(v any) (menuNode, error) {
	parts, ok := v.([]any)
	if !ok || len(parts) != 3 {
		return menuNode{}, fmt.Errorf("menu layout entry %T %v is not (ia{sv}av)", v, v)
	}
	id, _ := parts[0].(int32)
	props, _ := parts[1].(map[string]dbus.Variant)
	kids, _ := parts[2].([]dbus.Variant)
	n := menuNode{ID: id, Props: props}
	for _, k := range kids {
		c, err := parseNode(k.Value())
		if err != nil {
			return menuNode{}, err
		}
		n.Children = append(n.Children, c)
	}
	return n, nil
}

// trayClient reads and clicks a StatusNotifierItem's menu.
type trayClient struct {
	conn *dbus.Conn
	dest string
	item dbus.ObjectPath
}

func (c *trayClient) prop(ctx context.Context, name string) (dbus.Variant, error) {
	var v dbus.Variant
	err := c.conn.Object(c.dest, c.item).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierItem", name).Store(&v)
	if err != nil {
		return v, fmt.Errorf("reading the item's %s: %w", name, err)
	}
	return v, nil
}

func (c *trayClient) menuPath(ctx context.Context) (dbus.ObjectPath, error) {
	v, err := c.prop(ctx, "Menu")
	if err != nil {
		return "", err
	}
	p, ok := v.Value().(dbus.ObjectPath)
	if !ok {
		return "", fmt.Errorf("Menu property is %T", v.Value())
	}
	return p, nil
}

func (c *trayClient) layout(ctx context.Context) (menuNode, error) {
	mp, err := c.menuPath(ctx)
	if err != nil {
		return menuNode{}, err
	}
	call := c.conn.Object(c.dest, mp).CallWithContext(ctx, "com.canonical.dbusmenu.GetLayout", 0,
		int32(0), int32(-1), []string{})
	if call.Err != nil {
		return menuNode{}, fmt.Errorf("GetLayout: %w", call.Err)
	}
	if len(call.Body) != 2 {
		return menuNode{}, fmt.Errorf("GetLayout returned %d values", len(call.Body))
	}
	return parseNode(call.Body[1])
}

func (c *trayClient) click(ctx context.Context, id int32) error {
	mp, err := c.menuPath(ctx)
	if err != nil {
		return err
	}
	call := c.conn.Object(c.dest, mp).CallWithContext(ctx, "com.canonical.dbusmenu.Event", 0,
		id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
	if call.Err != nil {
		return fmt.Errorf("clicking menu item %d: %w", id, call.Err)
	}
	return nil
}

// clickLabel clicks the first enabled, visible item whose label starts with prefix.
func (c *trayClient) clickLabel(ctx context.Context, prefix string) error {
	root, err := c.layout(ctx)
	if err != nil {
		return err
	}
	n, ok := root.find(prefix)
	if !ok {
		return fmt.Errorf("no menu item %q in\n%s", prefix, strings.Join(root.outline(0), "\n"))
	}
	if !n.enabled() {
		return fmt.Errorf("menu item %q is disabled", prefix)
	}
	return c.click(ctx, n.ID)
}

// clickIn clicks the enabled item labelled label inside the submenu whose
// label starts with parent.
func (c *trayClient) clickIn(ctx context.Context, parent, label string) error {
	root, err := c.layout(ctx)
	if err != nil {
		return err
	}
	p, ok := root.find(parent)
	if !ok {
		return fmt.Errorf("no submenu %q in\n%s", parent, strings.Join(root.outline(0), "\n"))
	}
	for _, n := range p.Children {
		if n.visible() && n.label() == label {
			if !n.enabled() {
				return fmt.Errorf("%q in %q is disabled", label, p.label())
			}
			return c.click(ctx, n.ID)
		}
	}
	return fmt.Errorf("no %q in %q:\n%s", label, p.label(), strings.Join(p.outline(0), "\n"))
}
