package tray

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"fyne.io/systray"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/icon"
)

// Handler does what the menu items ask. Its methods run on the tray's event
// loop, one at a time; they should not block for long.
type Handler interface {
	// OpenWindow shows and focuses the main window.
	OpenWindow()
	// OpenClients shows the window on its Clients page.
	OpenClients()
	// CopyText puts text on the clipboard.
	CopyText(text string)
	// OpenWorkspace opens the workspace folder in the file manager.
	OpenWorkspace()
	// OpenLogs opens the logs folder in the file manager.
	OpenLogs()
	// SetAutostart turns start-on-login on or off and returns the new value.
	SetAutostart(on bool) (bool, error)
	// RegisterClient adds MCP Conductor to the AI client id's configuration
	// and returns the client's status afterwards.
	RegisterClient(id string) (backend.ClientStatus, error)
	// RepairClient rewrites MCP Conductor's entry in the client id after
	// someone changed it, and returns the client's status afterwards.
	RepairClient(id string) (backend.ClientStatus, error)
	// UnregisterClient removes MCP Conductor from the client id and returns
	// the client's status afterwards.
	UnregisterClient(id string) (backend.ClientStatus, error)
	// Quit ends the app.
	Quit()
}

// ErrNoTrayHost is returned by Start when the platform has nowhere to show a
// tray icon (on Linux: no D-Bus session bus).
var ErrNoTrayHost = errors.New("no tray host")

// click is one activated menu item: its action and, for client actions,
// the client.
type click struct {
	action Action
	client string
}

// Tray is the notification-area icon and menu.
type Tray struct {
	h      Handler
	clicks chan click

	mu       sync.Mutex // guards everything below
	state    State
	ready    bool               // systray's onReady ran: items may be added
	started  bool               // Start succeeded, so stop must end systray
	cancel   context.CancelFunc // stops the click forwarders of the current menu
	menu     []Item             // what is shown now
	badge    icon.Badge         // shown now, to skip needless icon updates
	hasBadge bool
	done     chan struct{} // closed when the event loop ends
}

// New returns a tray that will call h. Call Start to show it.
func New(h Handler, initial State) *Tray {
	return &Tray{h: h, clicks: make(chan click, 8), state: initial, done: make(chan struct{})}
}

// Start registers the tray icon alongside another toolkit's main loop (the
// Wails window). On macOS it must be called on the main thread before that
// loop starts. The returned stop function removes the icon; call it once the
// other loop has ended.
func (t *Tray) Start() (stop func(), err error) {
	if err := checkHost(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoTrayHost, err)
	}
	start, end := systray.RunWithExternalLoop(t.onReady, func() {})
	start()
	t.mu.Lock()
	t.started = true
	// fyne.io/systray (v1.12.2) runs onReady on a goroutine of its own as
	// soon as start begins, before the item's properties are on the bus;
	// an icon, title or tooltip set in between is lost for good (a loaded
	// CI machine showed an item with no title and no icon). start returns
	// once they are there: set them again.
	if t.ready {
		t.hasBadge = false
		t.looksLocked()
	}
	t.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	go t.eventLoop(ctx)
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-t.done
			t.mu.Lock()
			if t.cancel != nil {
				t.cancel()
			}
			t.mu.Unlock()
			end()
		})
	}, nil
}

// State returns what the tray shows.
func (t *Tray) State() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state
}

// SetState changes what the tray shows, rebuilding the menu if it changed.
// It keeps the tray's own ClientError.
func (t *Tray) SetState(s State) {
	t.Update(func(st *State) {
		s.ClientError = st.ClientError
		*st = s
	})
}

// Update changes the state with fn under the tray's lock and rebuilds the
// menu if the state changed.
func (t *Tray) Update(fn func(*State)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.state
	fn(&t.state)
	if t.ready && !old.Equal(t.state) {
		t.rebuildLocked()
	}
}

// Items returns the menu as last built (nil before the tray is shown).
func (t *Tray) Items() []Item {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.menu
}

func (t *Tray) onReady() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ready = true
	t.rebuildLocked()
}

// rebuildLocked replaces the whole systray menu with Menu(t.state).
func (t *Tray) rebuildLocked() {
	if t.cancel != nil {
		t.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel

	t.looksLocked()
	systray.ResetMenu()
	t.menu = Menu(t.state)
	for _, it := range t.menu {
		t.add(ctx, nil, it)
	}
}

// looksLocked shows the state's icon (when its badge changed), tooltip and
// title.
func (t *Tray) looksLocked() {
	if b := t.state.Badge(); !t.hasBadge || b != t.badge {
		setIcon(b)
		t.badge, t.hasBadge = b, true
	}
	tip := t.state.Tooltip()
	systray.SetTooltip(tip)
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" {
		// StatusNotifierItem hosts show the title where others show a tooltip.
		systray.SetTitle(tip)
	}
}

func (t *Tray) add(ctx context.Context, parent *systray.MenuItem, it Item) {
	if it.Separator {
		if parent == nil {
			systray.AddSeparator()
		} else {
			parent.AddSeparator()
		}
		return
	}
	title := label(it.Title)
	var mi *systray.MenuItem
	switch {
	case parent == nil && it.Checkable:
		mi = systray.AddMenuItemCheckbox(title, it.Tooltip, it.Checked)
	case parent == nil:
		mi = systray.AddMenuItem(title, it.Tooltip)
	case it.Checkable:
		mi = parent.AddSubMenuItemCheckbox(title, it.Tooltip, it.Checked)
	default:
		mi = parent.AddSubMenuItem(title, it.Tooltip)
	}
	if it.Disabled {
		mi.Disable()
	}
	for _, c := range it.Children {
		t.add(ctx, mi, c)
	}
	if it.Action == "" || it.Disabled {
		return
	}
	// forward this item's clicks to the one event loop until the next rebuild
	go func(ch <-chan struct{}, c click) {
		for {
			select {
			case <-ctx.Done():
				return
			case <-ch:
				select {
				case t.clicks <- c:
				case <-ctx.Done():
					return
				}
			}
		}
	}(mi.ClickedCh, click{it.Action, it.Client})
}

// eventLoop handles every click, one at a time, until ctx ends.
func (t *Tray) eventLoop(ctx context.Context) {
	defer close(t.done)
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-t.clicks:
			t.handle(c)
		}
	}
}

func (t *Tray) handle(c click) {
	switch c.action {
	case ActOpen:
		t.h.OpenWindow()
	case ActOpenClients:
		t.h.OpenClients()
	case ActCopyURL:
		if u := t.State().EndpointURL(); u != "" {
			t.h.CopyText(u)
		}
	case ActOpenWorkspace:
		t.h.OpenWorkspace()
	case ActOpenLogs:
		t.h.OpenLogs()
	case ActAutostart:
		on, err := t.h.SetAutostart(!t.State().Autostart)
		if err != nil {
			slog.Warn("tray: start on login", "err", err)
		}
		t.Update(func(s *State) { s.Autostart = on })
	case ActRegister, ActRepair, ActUnregister:
		t.changeClient(c.action, c.client)
	case ActQuit:
		t.h.Quit()
	}
}

// label escapes a title for the platform's menu: D-Bus menus treat "_" as
// a mnemonic marker.
func label(s string) string {
	if runtime.GOOS == "linux" || strings.HasSuffix(runtime.GOOS, "bsd") {
		return strings.ReplaceAll(s, "_", "__")
	}
	return s
}

func setIcon(b icon.Badge) {
	switch runtime.GOOS {
	case "windows":
		systray.SetIcon(icon.ICO([]int{16, 32}, b))
	default:
		systray.SetIcon(icon.PNG(64, b))
	}
}
