package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// TestPagesWithoutEngine: with no backend plugged in, every page's binding
// says "not available yet", which the frontend shows as such.
func TestPagesWithoutEngine(t *testing.T) {
	a := New(Config{})
	calls := map[string]func() error{
		"Engine":               func() error { _, err := a.Engine(); return err },
		"Runtime":              func() error { _, err := a.Runtime(); return err },
		"Endpoint":             func() error { _, err := a.Endpoint(); return err },
		"Clients":              func() error { _, err := a.Clients(); return err },
		"InstallDeno":          func() error { _, err := a.InstallDeno(backend.InstallDenoOptions{}); return err },
		"EndpointToken":        func() error { _, err := a.EndpointToken(); return err },
		"SetEndpoint":          func() error { _, err := a.SetEndpoint(true, 0); return err },
		"Settings":             func() error { _, err := a.Settings(); return err },
		"SaveSettings":         func() error { _, err := a.SaveSettings(backend.Settings{}); return err },
		"ChooseFolder":         func() error { _, err := a.ChooseFolder("t", ""); return err },
		"MCPServers":           func() error { _, err := a.MCPServers(); return err },
		"SaveMCPServer":        func() error { _, err := a.SaveMCPServer("", backend.ServerForm{}); return err },
		"RemoveMCPServer":      func() error { _, err := a.RemoveMCPServer("x"); return err },
		"SetMCPServerDisabled": func() error { _, err := a.SetMCPServerDisabled("x", true); return err },
		"TestMCPServer":        func() error { _, err := a.TestMCPServer("", backend.ServerForm{}); return err },
		"ImportableServers":    func() error { _, err := a.ImportableServers(); return err },
		"ImportServers":        func() error { _, err := a.ImportServers(nil); return err },
		"RegisterClient":       func() error { _, err := a.RegisterClient("cursor", backend.ClientAction{}); return err },
		"RepairClient":         func() error { _, err := a.RepairClient("cursor", backend.ClientAction{}); return err },
		"UnregisterClient":     func() error { _, err := a.UnregisterClient("cursor", backend.ClientAction{}); return err },
		"ClientLinks":          func() error { _, err := a.ClientLinks(); return err },
		"Activity":             func() error { _, err := a.Activity(backend.ActivityQuery{}); return err },
		"RunCode":              func() error { _, err := a.RunCode(backend.RunRequest{Code: "1"}); return err },
		"StartRun":             func() error { return a.StartRun(backend.RunRequest{Code: "1", RunID: "r"}) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrNotAvailable) || !strings.Contains(err.Error(), "not available yet") {
			t.Errorf("%s: err = %v, want ErrNotAvailable", name, err)
		}
	}
}

func TestChooseFolder(t *testing.T) {
	tests := []struct {
		name    string
		pick    func() (string, error)
		want    string
		wantErr string
	}{
		{"picked", func() (string, error) { return "/data", nil }, "/data", ""},
		{"cancelled", func() (string, error) { return "", nil }, "", ""},
		{"dialog fails", func() (string, error) { return "", errors.New("no display") }, "", "the folder dialog: no display"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotTitle, gotStart string
			a := New(Config{PickFolder: func(_ context.Context, title, start string) (string, error) {
				gotTitle, gotStart = title, start
				return tt.pick()
			}})
			got, err := a.ChooseFolder("Workspace", "/home")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
			if gotTitle != "Workspace" || gotStart != "/home" {
				t.Errorf("dialog opened with %q %q", gotTitle, gotStart)
			}
		})
	}
}
