package backend

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func TestClientBindings(t *testing.T) {
	f := withDeno(t)
	cursorFile := filepath.Join(f.user, ".cursor", "mcp.json")
	launcher := clients.LauncherPath(f.home)

	tests := []struct {
		name    string
		do      func() (ClientChange, error)
		wantErr string
		written bool
		state   string
		diff    string // a line the diff must have
		file    func(t *testing.T, b []byte)
	}{
		{name: "not installed, not forced",
			do: func() (ClientChange, error) {
				return f.b.RegisterClient(t.Context(), "cursor", ClientAction{Apply: true})
			},
			wantErr: "does not seem to be installed"},
		{name: "preview writes nothing",
			do: func() (ClientChange, error) {
				return f.b.RegisterClient(t.Context(), "cursor", ClientAction{Force: true})
			},
			state: "not installed", diff: `+      "command": "` + launcher + `",`},
		{name: "register",
			do: func() (ClientChange, error) {
				return f.b.RegisterClient(t.Context(), "cursor", ClientAction{Apply: true, Force: true})
			},
			written: true, state: "registered",
			file: func(t *testing.T, b []byte) {
				var m struct {
					MCPServers map[string]struct {
						Command string
						Args    []string
						Env     map[string]string
					}
				}
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				e := m.MCPServers["mcp-conductor"]
				if e.Command != launcher || strings.Join(e.Args, " ") != "--stdio" || e.Env[config.EnvHome] != f.home {
					t.Errorf("entry %+v", e)
				}
			}},
		{name: "register again changes nothing",
			do: func() (ClientChange, error) {
				return f.b.RegisterClient(t.Context(), "cursor", ClientAction{Apply: true})
			},
			state: "registered"},
		{name: "drift, then repair",
			do: func() (ClientChange, error) {
				b, _ := os.ReadFile(cursorFile)
				os.WriteFile(cursorFile, []byte(strings.Replace(string(b), "--stdio", "--http", 1)), 0o600)
				st, _ := f.b.ListClients(t.Context())
				if st[0].State != "registered-but-different" || st[0].Differs != "args" || !st[0].Drifted || !st[0].Configured {
					t.Errorf("after the drift: %+v", st[0])
				}
				return f.b.RepairClient(t.Context(), "cursor", ClientAction{Apply: true})
			},
			written: true, state: "registered", diff: `+      "args": ["--stdio"],`},
		{name: "unregister",
			do: func() (ClientChange, error) {
				return f.b.UnregisterClient(t.Context(), "cursor", ClientAction{Apply: true})
			},
			written: true, state: "installed",
			file: func(t *testing.T, b []byte) {
				if strings.Contains(string(b), "mcp-conductor") {
					t.Errorf("entry still there:\n%s", b)
				}
			}},
		{name: "unknown client",
			do:      func() (ClientChange, error) { return f.b.RegisterClient(t.Context(), "notepad", ClientAction{}) },
			wantErr: `unknown client "notepad"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(cursorFile)
			ch, err := tt.do()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ch.Path != cursorFile || ch.Written != tt.written || ch.Status.State != tt.state {
				t.Errorf("change %+v", ch)
			}
			if tt.diff != "" && !strings.Contains(ch.Diff, tt.diff) {
				t.Errorf("diff lacks %q:\n%s", tt.diff, ch.Diff)
			}
			after, _ := os.ReadFile(cursorFile)
			if !tt.written && string(after) != string(before) {
				t.Errorf("the file changed without a write")
			}
			if tt.file != nil {
				tt.file(t, after)
			}
		})
	}
}

func TestClientLinks(t *testing.T) {
	f := withDeno(t)
	links, err := f.b.ClientLinks()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range links {
		got[l.Client] = l.Value
	}
	for client, want := range map[string]string{
		"cursor":      "cursor://anysphere.cursor-deeplink/mcp/install?name=mcp-conductor&config=",
		"vscode":      "vscode:mcp/install?",
		"claude-code": "claude mcp add --scope user",
		"codex":       "codex mcp add mcp-conductor",
	} {
		if !strings.HasPrefix(got[client], want) {
			t.Errorf("%s link %q, want prefix %q", client, got[client], want)
		}
	}
	if !strings.Contains(got["claude-code"], clients.LauncherPath(f.home)) {
		t.Errorf("claude-code command does not run the launcher: %s", got["claude-code"])
	}
}

func TestImportServers(t *testing.T) {
	f := withDeno(t)
	write := func(rel, content string) {
		p := filepath.Join(f.user, rel)
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte(content), 0o600)
	}
	write(".cursor/mcp.json", `{"mcpServers": {
		"github": {"url": "https://api.example.com/mcp", "headers": {"Authorization": "Bearer ghp_1"}},
		"mcp-conductor": {"command": "/x"},
		"odd": {"args": []}
	}}`)
	write(".config/Claude/claude_desktop_config.json", `{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "fs", "/tmp x"], "env": {"K": "v"}, "autoApprove": []}}}`)

	list, err := f.b.ImportableServers()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ImportCandidate{}
	for _, c := range list {
		got[c.Client+"/"+c.Name] = c
	}
	if len(got) != 3 || got["cursor/mcp-conductor"].Name != "" {
		t.Fatalf("candidates %+v", list)
	}
	if c := got["cursor/github"]; c.Transport != "http" || c.Summary != "https://api.example.com/mcp" || c.Error != "" {
		t.Errorf("github %+v", c)
	}
	if c := got["claude-desktop/fs"]; c.Summary != "npx -y fs '/tmp x'" || strings.Join(c.Dropped, ",") != "autoApprove" || c.ClientName != "Claude Desktop" {
		t.Errorf("fs %+v", c)
	}
	if c := got["cursor/odd"]; c.Error == "" {
		t.Errorf("odd has no error: %+v", c)
	}

	tests := []struct {
		name    string
		picks   []ImportPick
		wantErr string
		servers int
	}{
		{"an unusable entry refuses the whole import", []ImportPick{{"cursor", "github"}, {"cursor", "odd"}}, "nothing was imported", 0},
		{"unknown name", []ImportPick{{"cursor", "nope"}}, `Cursor has no server "nope"`, 0},
		{"two servers", []ImportPick{{"cursor", "github"}, {"claude-desktop", "fs"}}, "", 2},
		{"again: names taken", []ImportPick{{"cursor", "github"}}, "already", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := f.b.ImportServers(t.Context(), tt.picks)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				v, _ = f.b.MCPServers(t.Context())
			} else if err != nil {
				t.Fatal(err)
			}
			if len(v.Servers) != tt.servers {
				t.Errorf("%d servers, want %d: %+v", len(v.Servers), tt.servers, v.Servers)
			}
		})
	}
	b, _ := os.ReadFile(filepath.Join(f.home, "mcp-config.json"))
	for _, w := range []string{`"Authorization": "Bearer ghp_1"`, `"K": "v"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("imported file lacks %s:\n%s", w, b)
		}
	}
	if strings.Contains(string(b), "autoApprove") {
		t.Errorf("a client-only key was imported:\n%s", b)
	}
}
