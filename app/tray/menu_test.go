package tray

import (
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/icon"
)

// find returns the first item whose title starts with prefix.
func find(items []Item, prefix string) (Item, bool) {
	for _, it := range items {
		if strings.HasPrefix(it.Title, prefix) {
			return it, true
		}
	}
	return Item{}, false
}

func TestMenuFixedItems(t *testing.T) {
	items := Menu(State{})
	var titles []string
	for _, it := range items {
		if it.Separator {
			titles = append(titles, "---")
			continue
		}
		titles = append(titles, it.Title)
	}
	want := []string{
		"Status not available yet", TitleOpen, "---",
		"Local endpoint: not available yet", TitleCopyURL, TitleClients, "---",
		TitleOpenWorkspace, TitleOpenLogs, TitleAutostart, "---", TitleQuit,
	}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Fatalf("menu\n got %q\nwant %q", titles, want)
	}
	for _, it := range items {
		if it.Title == TitleOpen || it.Title == TitleQuit || it.Title == TitleOpenLogs || it.Title == TitleOpenWorkspace {
			if it.Disabled || it.Action == "" {
				t.Errorf("%q must always be clickable", it.Title)
			}
		}
	}
}

func TestMenuFromState(t *testing.T) {
	running := &backend.EndpointStatus{URL: "http://127.0.0.1:7465/mcp", Running: true}
	tests := []struct {
		name        string
		state       State
		status      string
		endpoint    string
		copyEnabled bool
		clients     []string
		autostart   Item
	}{
		{
			name:     "nothing known",
			status:   "Status not available yet",
			endpoint: "Local endpoint: not available yet",
			clients:  []string{"Not available yet"},
			autostart: Item{Title: TitleAutostart, Action: ActAutostart, Checkable: true,
				Disabled: true},
		},
		{
			name: "ready with clients",
			state: State{
				Health: HealthReady, Endpoint: running, ClientsAvailable: true,
				Clients: []backend.ClientStatus{
					{ID: "cursor", Name: "Cursor", Installed: true, Configured: true},
					{ID: "claude-desktop", Name: "Claude Desktop", Installed: true},
					{ID: "zed", Installed: false},
				},
				AutostartSupported: true, Autostart: true,
			},
			status:      "Ready",
			endpoint:    "Local endpoint: http://127.0.0.1:7465/mcp",
			copyEnabled: true,
			clients:     []string{"Cursor — connected", "Claude Desktop — not connected", "zed — not installed"},
			autostart: Item{Title: TitleAutostart, Action: ActAutostart, Checkable: true,
				Checked: true},
		},
		{
			name: "deno missing, endpoint stopped, no clients",
			state: State{
				Health: HealthDenoMissing, Detail: "run mcp-conductor deno install",
				Endpoint:         &backend.EndpointStatus{Detail: "waiting for Deno"},
				ClientsAvailable: true, AutostartSupported: true,
			},
			status:    "Deno is missing: run mcp-conductor deno install",
			endpoint:  "Local endpoint: stopped (waiting for Deno)",
			clients:   []string{"No AI clients found"},
			autostart: Item{Title: TitleAutostart, Action: ActAutostart, Checkable: true},
		},
		{
			name: "error listing clients",
			state: State{
				Health: HealthError, Detail: "port in use",
				Endpoint:         &backend.EndpointStatus{},
				ClientsAvailable: true, ClientsErr: "permission denied\nreading ~/.cursor",
			},
			status:   "Error: port in use",
			endpoint: "Local endpoint: stopped",
			clients:  []string{"Could not list clients: permission denied reading ~/.cursor"},
			autostart: Item{Title: TitleAutostart, Action: ActAutostart, Checkable: true,
				Disabled: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Menu(tt.state)
			if items[0].Title != tt.status || !items[0].Disabled {
				t.Errorf("status line %+v, want disabled %q", items[0], tt.status)
			}
			ep, ok := find(items, "Local endpoint:")
			if !ok || ep.Title != tt.endpoint || !ep.Disabled {
				t.Errorf("endpoint line %+v, want disabled %q", ep, tt.endpoint)
			}
			cp, _ := find(items, TitleCopyURL)
			if cp.Disabled == tt.copyEnabled {
				t.Errorf("Copy URL disabled=%v, want enabled=%v", cp.Disabled, tt.copyEnabled)
			}
			cl, _ := find(items, TitleClients)
			var got []string
			for _, c := range cl.Children {
				got = append(got, c.Title)
			}
			if strings.Join(got, "|") != strings.Join(tt.clients, "|") {
				t.Errorf("clients %q, want %q", got, tt.clients)
			}
			as, _ := find(items, TitleAutostart)
			if as.Title != tt.autostart.Title || as.Checked != tt.autostart.Checked ||
				as.Disabled != tt.autostart.Disabled || !as.Checkable {
				t.Errorf("autostart %+v, want %+v", as, tt.autostart)
			}
		})
	}
}

func TestStateBadgeAndTooltip(t *testing.T) {
	tests := []struct {
		state   State
		badge   icon.Badge
		tooltip string
	}{
		{State{}, icon.NoBadge, "MCP Conductor — Status not available yet"},
		{State{Health: HealthReady}, icon.BadgeReady, "MCP Conductor — Ready"},
		{State{Health: HealthDenoMissing}, icon.BadgeWarning, "MCP Conductor — Deno is missing"},
		{State{Health: HealthError, Detail: "boom"}, icon.BadgeError, "MCP Conductor — Error: boom"},
	}
	for _, tt := range tests {
		if got := tt.state.Badge(); got != tt.badge {
			t.Errorf("%v: badge %v, want %v", tt.state.Health, got, tt.badge)
		}
		if got := tt.state.Tooltip(); got != tt.tooltip {
			t.Errorf("%v: tooltip %q, want %q", tt.state.Health, got, tt.tooltip)
		}
	}
}

func TestStateEqual(t *testing.T) {
	a := State{Health: HealthReady, Endpoint: &backend.EndpointStatus{URL: "u", Running: true},
		ClientsAvailable: true, Clients: []backend.ClientStatus{{ID: "cursor"}}}
	b := a
	b.Endpoint = &backend.EndpointStatus{URL: "u", Running: true}
	b.Clients = []backend.ClientStatus{{ID: "cursor"}}
	if !a.Equal(b) {
		t.Error("equal states compare unequal")
	}
	for name, change := range map[string]func(*State){
		"endpoint nil": func(s *State) { s.Endpoint = nil },
		"endpoint url": func(s *State) { s.Endpoint = &backend.EndpointStatus{URL: "v", Running: true} },
		"clients":      func(s *State) { s.Clients = append([]backend.ClientStatus{}, backend.ClientStatus{ID: "zed"}) },
		"autostart":    func(s *State) { s.Autostart = true },
		"client error": func(s *State) { s.ClientError = "Could not register" },
		"health":       func(s *State) { s.Health = HealthError },
	} {
		c := a
		change(&c)
		if a.Equal(c) {
			t.Errorf("%s: different states compare equal", name)
		}
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("x", 100)
	if got := truncate(long); len([]rune(got)) != maxClientTitle || !strings.HasSuffix(got, "…") {
		t.Errorf("truncate(long) = %q", got)
	}
	if got := truncate("a\n b"); got != "a b" {
		t.Errorf("truncate folds whitespace: got %q", got)
	}
}
