package tray

import (
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// outline renders items as "title [action client] {children}", separators
// as "---", disabled items with a "(disabled)" mark.
func outline(items []Item) string {
	var parts []string
	for _, it := range items {
		if it.Separator {
			parts = append(parts, "---")
			continue
		}
		p := it.Title
		if it.Action != "" {
			p += " [" + string(it.Action)
			if it.Client != "" {
				p += " " + it.Client
			}
			p += "]"
		}
		if it.Disabled {
			p += " (disabled)"
		}
		if len(it.Children) > 0 {
			p += " {" + outline(it.Children) + "}"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " | ")
}

func TestClientSubmenus(t *testing.T) {
	page := "--- | Open Clients page [open-clients]"
	tests := []struct {
		name   string
		client backend.ClientStatus
		state  ClientState
		want   string
	}{
		{"not installed: only the page link",
			backend.ClientStatus{ID: "zed", Name: "Zed", State: "not installed"},
			ClientNotInstalled, "Zed — not installed [open-clients]"},
		{"installed, not registered: Register",
			backend.ClientStatus{ID: "cursor", Name: "Cursor", Installed: true, State: "installed"},
			ClientNotConnected, "Cursor — not connected {Register [register cursor] | " + page + "}"},
		{"registered: Remove",
			backend.ClientStatus{ID: "cursor", Name: "Cursor", Installed: true, Configured: true, State: "registered"},
			ClientConnected, "Cursor — connected {Remove [unregister cursor] | " + page + "}"},
		{"drifted: Repair and Remove",
			backend.ClientStatus{ID: "claude-desktop", Name: "Claude Desktop", Installed: true, Configured: true,
				Drifted: true, State: "registered-but-different", Differs: "args"},
			ClientNeedsRepair, "Claude Desktop — needs repair {Repair [repair claude-desktop] | Remove [unregister claude-desktop] | " + page + "}"},
		{"unreadable: the reason, no write action",
			backend.ClientStatus{ID: "vscode", Name: "VS Code", Installed: true, State: "unreadable",
				Detail: "mcp.json: line 3: unexpected }"},
			ClientUnreadable, "VS Code — unreadable {mcp.json: line 3: unexpected } (disabled) | " + page + "}"},
		{"switched off, Register re-enables: why, Turn on and Remove",
			backend.ClientStatus{ID: "claude-code", Name: "Claude Code", Installed: true, Configured: true, Reenable: true,
				State: "disabled", Detail: "Claude Code has the entry switched off."},
			ClientSwitchedOff, "Claude Code — switched off {Claude Code has the entry switched off. (disabled) | " +
				"Turn on [register claude-code] | Remove [unregister claude-code] | " + page + "}"},
		{"switched off where Register cannot help: why and Remove",
			backend.ClientStatus{ID: "cursor", Name: "Cursor", Installed: true, Configured: true,
				State: "disabled", Detail: "Cursor has the entry switched off in its settings."},
			ClientSwitchedOff, "Cursor — switched off {Cursor has the entry switched off in its settings. (disabled) | " +
				"Remove [unregister cursor] | " + page + "}"},
		{"blocked by a policy: why and Remove, never Turn on",
			backend.ClientStatus{ID: "claude-code", Name: "Claude Code", Installed: true, Configured: true,
				State: "blocked", Detail: "Claude Code will not start it."},
			ClientBlocked, "Claude Code — blocked {Claude Code will not start it. (disabled) | " +
				"Remove [unregister claude-code] | " + page + "}"},
		{"no name: the ID",
			backend.ClientStatus{ID: "windsurf", Installed: true, State: "installed"},
			ClientNotConnected, "windsurf — not connected {Register [register windsurf] | " + page + "}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StateOf(tt.client); got != tt.state {
				t.Errorf("StateOf = %q, want %q", got, tt.state)
			}
			s := State{ClientsAvailable: true, Clients: []backend.ClientStatus{tt.client}}
			cl, ok := find(Menu(s), TitleClients)
			if !ok {
				t.Fatal("no Clients submenu")
			}
			if got := outline(cl.Children); got != tt.want {
				t.Errorf("submenu\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestClientErrorLine(t *testing.T) {
	msg := "Could not register MCP Conductor in Cursor: open ~/.cursor/mcp.json: permission denied"
	s := State{Health: HealthReady, ClientsAvailable: true, ClientError: msg,
		Clients: []backend.ClientStatus{{ID: "cursor", Name: "Cursor", Installed: true}}}
	cl, _ := find(Menu(s), TitleClients)
	if len(cl.Children) < 3 {
		t.Fatalf("submenu %s", outline(cl.Children))
	}
	first := cl.Children[0]
	if !first.Disabled || first.Action != "" || !strings.HasPrefix(first.Title, "⚠ Could not register") ||
		first.Tooltip != msg || !cl.Children[1].Separator {
		t.Errorf("error line %+v, then %+v", first, cl.Children[1])
	}
	if len([]rune(first.Title)) > maxClientTitle {
		t.Errorf("error line not shortened: %q", first.Title)
	}
	if got := s.Tooltip(); got != "MCP Conductor — Ready. "+msg {
		t.Errorf("tooltip %q", got)
	}
}

func TestHandleClientActions(t *testing.T) {
	cursor := backend.ClientStatus{ID: "cursor", Name: "Cursor", Installed: true, State: "installed"}
	connected := cursor
	connected.Configured, connected.State = true, "registered"
	drifted := connected
	drifted.Drifted, drifted.State = true, "registered-but-different"
	claude := backend.ClientStatus{ID: "claude-desktop", Name: "Claude Desktop", Installed: true, State: "installed"}

	tests := []struct {
		name      string
		before    backend.ClientStatus
		oldErr    string
		click     click
		answers   map[string]backend.ClientStatus
		wantCalls string
		after     backend.ClientStatus
		wantErr   string
	}{
		{"register", cursor, "", click{ActRegister, "cursor"},
			map[string]backend.ClientStatus{"cursor": connected}, "register cursor", connected, ""},
		{"repair", drifted, "", click{ActRepair, "cursor"},
			map[string]backend.ClientStatus{"cursor": connected}, "repair cursor", connected, ""},
		{"remove", connected, "", click{ActUnregister, "cursor"},
			map[string]backend.ClientStatus{"cursor": cursor}, "unregister cursor", cursor, ""},
		{"a success clears the last error", cursor, "Could not ...", click{ActRegister, "cursor"},
			map[string]backend.ClientStatus{"cursor": connected}, "register cursor", connected, ""},
		{"failure keeps the status and says why", cursor, "", click{ActRegister, "cursor"},
			nil, "register cursor", cursor, "Could not register MCP Conductor in Cursor: file is read-only"},
		{"failure on removal", connected, "", click{ActUnregister, "cursor"},
			nil, "unregister cursor", connected, "Could not remove MCP Conductor from Cursor: file is read-only"},
		{"failure for a client not listed names its ID", cursor, "", click{ActRepair, "zed"},
			nil, "repair zed", cursor, "Could not repair MCP Conductor's entry in zed: file is read-only"},
		{"no client: nothing", cursor, "", click{ActRegister, ""}, nil, "", cursor, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &fakeHandler{clients: tt.answers}
			before := []backend.ClientStatus{tt.before, claude}
			tr := New(h, State{ClientsAvailable: true, Clients: before, ClientError: tt.oldErr})
			tr.handle(tt.click)
			if got := strings.Join(h.calls, "|"); got != tt.wantCalls {
				t.Errorf("calls %q, want %q", got, tt.wantCalls)
			}
			st := tr.State()
			if len(st.Clients) != 2 || st.Clients[0] != tt.after || st.Clients[1] != claude {
				t.Errorf("clients after %+v, want [%+v %+v]", st.Clients, tt.after, claude)
			}
			if before[0] != tt.before {
				t.Error("the previous state's clients were changed in place")
			}
			wantErr := tt.wantErr
			if tt.click.client == "" {
				wantErr = tt.oldErr
			}
			if st.ClientError != wantErr {
				t.Errorf("ClientError %q, want %q", st.ClientError, wantErr)
			}
		})
	}
}

func TestSetStateKeepsClientError(t *testing.T) {
	tr := New(&fakeHandler{}, State{ClientError: "Could not register MCP Conductor in Cursor: boom"})
	tr.SetState(State{Health: HealthReady, ClientsAvailable: true})
	if st := tr.State(); st.ClientError == "" || st.Health != HealthReady {
		t.Errorf("after a poll: %+v", st)
	}
}
