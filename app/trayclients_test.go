package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
)

// TestTrayClientActions drives the tray's client actions on the real
// engine and the real files of a home folder where Cursor is installed.
func TestTrayClientActions(t *testing.T) {
	f := newFixture(t, "")
	if err := os.MkdirAll(filepath.Join(f.user, ".cursor"), 0o700); err != nil {
		t.Fatal(err)
	}
	cursorFile := filepath.Join(f.user, ".cursor", "mcp.json")
	var h tray.Handler = &desktopless{trayClients{f.app}}

	tests := []struct {
		name    string
		do      func() (backend.ClientStatus, error)
		wantErr string
		state   tray.ClientState
		entry   bool // the file holds our entry afterwards
	}{
		{name: "register", do: func() (backend.ClientStatus, error) { return h.RegisterClient("cursor") },
			state: tray.ClientConnected, entry: true},
		{name: "someone edits the entry, repair", do: func() (backend.ClientStatus, error) {
			b, _ := os.ReadFile(cursorFile)
			os.WriteFile(cursorFile, []byte(strings.Replace(string(b), "--stdio", "--http", 1)), 0o600)
			cs, _ := f.app.Clients()
			if tray.StateOf(cs[0]) != tray.ClientNeedsRepair || !cs[0].Drifted {
				t.Errorf("after the edit: %+v", cs[0])
			}
			return h.RepairClient("cursor")
		}, state: tray.ClientConnected, entry: true},
		{name: "remove", do: func() (backend.ClientStatus, error) { return h.UnregisterClient("cursor") },
			state: tray.ClientNotConnected},
		{name: "a client not installed is not forced",
			do:      func() (backend.ClientStatus, error) { return h.RegisterClient("claude-desktop") },
			wantErr: "does not seem to be installed"},
		{name: "unknown client", do: func() (backend.ClientStatus, error) { return h.RepairClient("notepad") },
			wantErr: `unknown client "notepad"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := tt.do()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.ID != "cursor" || tray.StateOf(st) != tt.state || st.Drifted {
				t.Errorf("status %+v, want %q", st, tt.state)
			}
			b, _ := os.ReadFile(cursorFile)
			if got := strings.Contains(string(b), `"mcp-conductor"`); got != tt.entry {
				t.Errorf("entry in the file = %v, want %v:\n%s", got, tt.entry, b)
			}
		})
	}
}

// desktopless makes trayClients a whole tray.Handler, as the desktop (built
// only with GTK) does by embedding it.
type desktopless struct{ trayClients }

func (desktopless) OpenWindow()                        {}
func (desktopless) OpenClients()                       {}
func (desktopless) CopyText(string)                    {}
func (desktopless) OpenWorkspace()                     {}
func (desktopless) OpenLogs()                          {}
func (desktopless) SetAutostart(on bool) (bool, error) { return on, nil }
func (desktopless) Quit()                              {}
