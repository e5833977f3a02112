//go:build gui

package guitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/tray"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
)

// wantMenu is the whole tray menu of a session whose engine is ready, where
// Cursor is the only installed client (cursor: its lines) and start on
// login is off.
func wantMenu(s *session, cursor []string) []string {
	want := []string{
		"Ready [disabled]",
		tray.TitleOpen,
		"---",
		fmt.Sprintf("Local endpoint: http://127.0.0.1:%d/mcp [disabled]", s.port),
		tray.TitleCopyURL,
		tray.TitleClients + " [submenu]",
	}
	for _, c := range clients.All() {
		if c.ID == "cursor" {
			want = append(want, cursor...)
			continue
		}
		want = append(want, "  "+c.Name+" — not installed")
	}
	return append(want,
		"---",
		tray.TitleOpenWorkspace,
		tray.TitleOpenLogs,
		tray.TitleAutostart+" [check=0]",
		"---",
		tray.TitleQuit,
	)
}

// cursorSubmenu is Cursor's entry in the Clients submenu, in state with
// the given actions.
func cursorSubmenu(state string, actions ...string) []string {
	lines := []string{"  Cursor — " + state + " [submenu]"}
	for _, a := range actions {
		lines = append(lines, "    "+a)
	}
	return append(lines, "    ---", "    "+tray.TitleClientsPage)
}

// cursorEntry is MCP Conductor's entry in ~/.cursor/mcp.json.
type cursorEntry struct {
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

func readCursorEntry(file string) (cursorEntry, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return cursorEntry{}, err
	}
	var f struct {
		MCPServers map[string]cursorEntry `json:"mcpServers"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return cursorEntry{}, fmt.Errorf("%s: %w", file, err)
	}
	e, ok := f.MCPServers[clients.ServerName]
	if !ok {
		return cursorEntry{}, fmt.Errorf("%s has no %s entry:\n%s", file, clients.ServerName, b)
	}
	return e, nil
}

// checkClientActions clicks Register in Cursor's submenu, as a panel
// would, and checks the file it writes and the menu rebuilt from it; then
// changes the entry behind the app's back and repairs it from the menu.
func checkClientActions(t *testing.T, s *session, tc *trayClient, a *app) {
	t.Helper()
	c := ctx(t, 10*time.Minute)
	file := filepath.Join(s.home, ".cursor", "mcp.json")
	launcher := clients.LauncherPath(s.conductorHome())
	checkEntry := func() error {
		e, err := readCursorEntry(file)
		if err != nil {
			return err
		}
		if e.Command != launcher || strings.Join(e.Args, " ") != "--stdio" || e.Env["MCP_CONDUCTOR_HOME"] != s.conductorHome() {
			return fmt.Errorf("entry %+v, want %s --stdio with MCP_CONDUCTOR_HOME=%s", e, launcher, s.conductorHome())
		}
		return nil
	}
	waitMenu := func(what string, cursor []string) {
		t.Helper()
		want := wantMenu(s, cursor)
		var root menuNode
		if !waitFor(longWait(20*time.Second), func() bool {
			var err error
			root, err = tc.layout(c)
			return err == nil && strings.Join(root.outline(0), "\n") == strings.Join(want, "\n")
		}) {
			t.Fatalf("tray menu %s:\n%s\nwant:\n%s\napp log:\n%s", what,
				strings.Join(root.outline(0), "\n"), strings.Join(want, "\n"), a.log)
		}
	}

	if err := tc.clickIn(c, "Cursor — ", tray.TitleRegister); err != nil {
		t.Fatal(err)
	}
	var err error
	if !waitFor(longWait(10*time.Second), func() bool { err = checkEntry(); return err == nil }) {
		t.Fatalf("after clicking %s: %v\napp log:\n%s", tray.TitleRegister, err, a.log)
	}
	b, _ := os.ReadFile(file)
	t.Logf("%s after clicking %s:\n%s", file, tray.TitleRegister, b)
	waitMenu("after Register", cursorSubmenu("connected", tray.TitleUnregister))

	// Someone edits the entry: the next poll shows it drifted.
	edited := strings.Replace(string(b), `"--stdio"`, `"--http"`, 1)
	if edited == string(b) {
		t.Fatalf("no --stdio argument to change in:\n%s", b)
	}
	if err := os.WriteFile(file, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	waitMenu("after editing the entry", cursorSubmenu("needs repair", tray.TitleRepair, tray.TitleUnregister))
	if err := tc.clickIn(c, "Cursor — ", tray.TitleRepair); err != nil {
		t.Fatal(err)
	}
	if !waitFor(longWait(10*time.Second), func() bool { err = checkEntry(); return err == nil }) {
		t.Fatalf("after clicking %s: %v\napp log:\n%s", tray.TitleRepair, err, a.log)
	}
	waitMenu("after Repair", cursorSubmenu("connected", tray.TitleUnregister))
}
