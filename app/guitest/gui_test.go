//go:build gui

package guitest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/mcp-conductor/mcp-conductor/app/tray"
)

// startWithTray starts the app in s with a watcher on the bus and returns a
// client for the tray item it registers.
func startWithTray(t *testing.T, s *session, name string, env ...string) (*app, *trayClient) {
	t.Helper()
	w, err := startWatcher(s.bus, true)
	if err != nil {
		t.Fatal(err)
	}
	a := s.start(name, env...)
	dest, path, err := w.waitItem(ctx(t, 10*time.Minute))
	if err != nil {
		t.Fatalf("%v\napp log:\n%s", err, a.log)
	}
	return a, &trayClient{conn: s.bus, dest: dest, item: path}
}

// TestTrayMenuOverDBus reads the tray icon and its menu as a desktop panel
// would, toggles "Start on login" and quits through the menu.
func TestTrayMenuOverDBus(t *testing.T) {
	s := newSession(t)
	// Cursor counts as installed: its folder exists.
	if err := os.MkdirAll(filepath.Join(s.home, ".cursor"), 0o700); err != nil {
		t.Fatal(err)
	}
	a, tc := startWithTray(t, s, "tray-menu")
	c := ctx(t, 10*time.Minute)

	// The item itself: title, tooltip, icon, menu.
	for name, check := range map[string]func(dbus.Variant) bool{
		"Status": func(v dbus.Variant) bool { return v.Value() == "Active" },
		"Title": func(v dbus.Variant) bool {
			s, _ := v.Value().(string)
			return strings.HasPrefix(s, "MCP Conductor")
		},
		"IconPixmap": func(v dbus.Variant) bool {
			// a(iiay): at least one non-empty ARGB image
			px, ok := v.Value().([][]any)
			if !ok || len(px) == 0 || len(px[0]) != 3 {
				return false
			}
			w, _ := px[0][0].(int32)
			data, _ := px[0][2].([]byte)
			return w > 0 && len(data) == int(w)*int(w)*4
		},
	} {
		// The item registers before its menu and icon are built: poll.
		var v dbus.Variant
		var err error
		if !waitFor(longWait(20*time.Second), func() bool { v, err = tc.prop(c, name); return err == nil && check(v) }) {
			t.Errorf("StatusNotifierItem %s = %v (%v)", name, v, err)
		}
	}

	// The menu, from the engine running inside the app: Deno is there, the
	// endpoint serves on the session's port, Cursor is the only AI client
	// installed in this fresh home, and is not connected.
	var root menuNode
	want := wantMenu(s, cursorSubmenu("not connected", tray.TitleRegister))
	ok := waitFor(longWait(20*time.Second), func() bool {
		var err error
		root, err = tc.layout(c)
		return err == nil && strings.Join(root.outline(0), "\n") == strings.Join(want, "\n")
	})
	if !ok {
		t.Fatalf("tray menu:\n%s\nwant:\n%s", strings.Join(root.outline(0), "\n"), strings.Join(want, "\n"))
	}

	checkClientActions(t, s, tc, a)

	// Start on login writes the XDG autostart entry and ticks the item.
	if err := tc.clickLabel(c, tray.TitleAutostart); err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(s.home, ".config", "autostart", "mcp-conductor.desktop")
	if !waitFor(longWait(10*time.Second), func() bool { _, err := os.Stat(entry); return err == nil }) {
		t.Fatalf("no autostart entry at %s after clicking %q\napp log:\n%s", entry, tray.TitleAutostart, a.log)
	}
	b, _ := os.ReadFile(entry)
	if !strings.Contains(string(b), "Exec=env MCP_CONDUCTOR_START_HIDDEN=1 ") {
		t.Errorf("autostart entry:\n%s", b)
	}
	if !waitFor(longWait(10*time.Second), func() bool {
		root, _ = tc.layout(c)
		n, ok := root.find(tray.TitleAutostart)
		return ok && n.toggleState() == 1
	}) {
		t.Errorf("%q is not ticked after clicking it:\n%s", tray.TitleAutostart, strings.Join(root.outline(0), "\n"))
	}
	// ... and clicking again removes it.
	if err := tc.clickLabel(c, tray.TitleAutostart); err != nil {
		t.Fatal(err)
	}
	if !waitFor(longWait(10*time.Second), func() bool { _, err := os.Stat(entry); return os.IsNotExist(err) }) {
		t.Errorf("autostart entry still there after unticking")
	}
	// Each change rebuilds the menu with new item ids; a panel re-reads the
	// layout when told, so wait for the rebuilt one before the next click.
	if !waitFor(longWait(10*time.Second), func() bool {
		root, _ = tc.layout(c)
		n, ok := root.find(tray.TitleAutostart)
		return ok && n.toggleState() == 0
	}) {
		t.Errorf("%q is still ticked after unticking it:\n%s", tray.TitleAutostart, strings.Join(root.outline(0), "\n"))
	}

	// Quit ends the process cleanly.
	if err := tc.clickLabel(c, tray.TitleQuit); err != nil {
		t.Fatal(err)
	}
	code, err := a.wait(15 * time.Second)
	if err != nil || code != 0 {
		t.Fatalf("after Quit: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// TestWindowScreenshot checks that the real WebKitGTK window renders the
// frontend, in the light and the dark colour scheme.
func TestWindowScreenshot(t *testing.T) {
	var lumas []float64
	for _, tc := range []struct{ name, theme string }{
		{"window-light", "Adwaita"},
		{"window-dark", "Adwaita:dark"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			a, _ := startWithTray(t, s, tc.name, "GTK_THEME="+tc.theme)
			w := s.window(30 * time.Second)
			img := s.screenshot(w, tc.name, 40, 45*time.Second)
			colours, luma := stats(img)
			t.Logf("%s: %dx%d, %d colours, mean luminance %.0f", tc.name, img.Bounds().Dx(), img.Bounds().Dy(), colours, luma)
			if img.Bounds().Dx() < 800 || img.Bounds().Dy() < 500 {
				t.Errorf("window is %v, smaller than its minimum size", img.Bounds())
			}
			lumas = append(lumas, luma)
			a.cmd.Process.Signal(syscall.SIGTERM)
			if code, err := a.wait(15 * time.Second); err != nil || code != 0 {
				t.Errorf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, a.log)
			}
		})
	}
	if len(lumas) == 2 && !(lumas[1] < lumas[0]-40) {
		t.Errorf("the dark window (mean luminance %.0f) is not darker than the light one (%.0f)", lumas[1], lumas[0])
	}
}

// TestCloseHidesWindowAndTrayReopensIt: closing the window keeps the app in
// the tray; "Open MCP Conductor" brings the window back.
func TestCloseHidesWindowAndTrayReopensIt(t *testing.T) {
	s := newSession(t)
	a, tc := startWithTray(t, s, "close-reopen")
	c := ctx(t, 10*time.Minute)
	w := s.window(30 * time.Second)
	s.screenshot(w, "before-close", 40, 45*time.Second)

	if err := s.x.close(w); err != nil {
		t.Fatal(err)
	}
	if !waitFor(longWait(10*time.Second), func() bool { return !s.x.viewable(w) }) {
		t.Fatal("the window is still shown after closing it")
	}
	time.Sleep(time.Second)
	if !a.running() {
		t.Fatalf("closing the window ended the app\napp log:\n%s", a.log)
	}

	if err := tc.clickLabel(c, tray.TitleOpen); err != nil {
		t.Fatal(err)
	}
	if !waitFor(longWait(10*time.Second), func() bool { return s.x.viewable(w) }) {
		t.Fatalf("%q did not show the window again\napp log:\n%s", tray.TitleOpen, a.log)
	}
	s.screenshot(w, "reopened-from-tray", 40, 30*time.Second)

	a.cmd.Process.Signal(syscall.SIGTERM)
	if code, err := a.wait(15 * time.Second); err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// TestSecondLaunchShowsTheFirst: one app per user. A hidden first instance
// (as started on login) is shown by a second launch, which exits 0.
func TestSecondLaunchShowsTheFirst(t *testing.T) {
	s := newSession(t)
	first, _ := startWithTray(t, s, "first-instance", "MCP_CONDUCTOR_START_HIDDEN=1")
	w := s.window(30 * time.Second)
	time.Sleep(2 * time.Second)
	if s.x.viewable(w) {
		t.Fatal("the window is shown although the app was started hidden")
	}

	second := s.start("second-instance")
	code, err := second.wait(20 * time.Second)
	if err != nil || code != 0 {
		t.Fatalf("second launch: exit code %d, %v\nlog:\n%s", code, err, second.log)
	}
	if !strings.Contains(second.log.String(), "already running") {
		t.Errorf("second launch said: %s", second.log)
	}
	if !waitFor(longWait(10*time.Second), func() bool { return s.x.viewable(w) }) {
		t.Fatalf("the second launch did not show the first one's window\nfirst log:\n%s", first.log)
	}
	if !first.running() {
		t.Fatal("the first instance ended")
	}
	first.cmd.Process.Signal(syscall.SIGTERM)
	if code, err := first.wait(15 * time.Second); err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, first.log)
	}
}

// TestWithoutSessionBus: with no D-Bus there is no tray; the window still
// works, says so, and closing it quits cleanly (the tray library's end
// function, which crashes if its start never connected, is not called).
func TestWithoutSessionBus(t *testing.T) {
	s := newSession(t)
	a := s.start("no-bus", "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(s.home, "no-such-bus"))
	w := s.window(30 * time.Second)
	s.screenshot(w, "no-bus", 40, 45*time.Second)
	if !strings.Contains(a.log.String(), "no tray icon") {
		t.Errorf("the app did not say it has no tray icon:\n%s", a.log)
	}
	if err := s.x.close(w); err != nil {
		t.Fatal(err)
	}
	code, err := a.wait(15 * time.Second)
	if err != nil || code != 0 {
		t.Fatalf("closing the window without a tray: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// TestStartHiddenNeedsATrayHost: asked to start hidden (as on login) where
// no panel shows tray icons, the app shows its window rather than running
// with no way in.
func TestStartHiddenNeedsATrayHost(t *testing.T) {
	s := newSession(t)
	if _, err := startWatcher(s.bus, false); err != nil {
		t.Fatal(err)
	}
	a := s.start("hidden-no-host", "MCP_CONDUCTOR_START_HIDDEN=1")
	w := s.window(30 * time.Second)
	if !waitFor(longWait(20*time.Second), func() bool { return s.x.viewable(w) }) {
		t.Fatalf("the window stayed hidden with no tray host\napp log:\n%s", a.log)
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	if code, err := a.wait(15 * time.Second); err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}
