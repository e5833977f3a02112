package clients

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// mkfile writes content at path, creating its folders.
func mkfile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestClaudeProjectKey: the key Claude Code files a folder's state under
// (projects in ~/.claude.json) is the resolved folder, or the root of its
// git work tree, a linked worktree counting as its main repository.
func TestClaudeProjectKey(t *testing.T) {
	opts := tempHome(t)
	base := filepath.Join(opts.Env.Home, "src")
	repo := filepath.Join(base, "repo")
	os.MkdirAll(filepath.Join(repo, ".git", "worktrees", "wt"), 0o755)
	os.MkdirAll(filepath.Join(repo, "pkg", "sub"), 0o755)
	// A linked worktree, laid out as `git worktree add` lays it out.
	wt := filepath.Join(base, "wt")
	wtGit := filepath.Join(repo, ".git", "worktrees", "wt")
	mkfile(t, filepath.Join(wt, ".git"), "gitdir: "+wtGit+"\n")
	mkfile(t, filepath.Join(wtGit, "commondir"), "../..\n")
	mkfile(t, filepath.Join(wtGit, "gitdir"), filepath.Join(wt, ".git")+"\n")
	os.MkdirAll(filepath.Join(wt, "cmd"), 0o755)
	// A .git file whose gitdir does not point back is its own root.
	stray := filepath.Join(base, "stray")
	mkfile(t, filepath.Join(stray, ".git"), "gitdir: "+wtGit+"\n")
	plain := filepath.Join(base, "plain")
	os.MkdirAll(plain, 0o755)

	cases := []struct{ name, dir, want string }{
		{"plain folder", plain, plain},
		{"repository root", repo, repo},
		{"inside a repository", filepath.Join(repo, "pkg", "sub"), repo},
		{"linked worktree", filepath.Join(wt, "cmd"), repo},
		{"worktree that does not point back", stray, stray},
		{"missing folder", filepath.Join(plain, "gone"), filepath.Join(plain, "gone")},
	}
	if runtime.GOOS != "windows" { // links need privileges there
		link := filepath.Join(opts.Env.Home, "link")
		if err := os.Symlink(plain, link); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, dir, want string }{"through a link", link, plain})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := realPath(tc.want)
			if tc.name == "missing folder" {
				want = filepath.Join(realPath(plain), "gone")
			}
			if opts.Env.GOOS == "windows" {
				want = filepath.ToSlash(want) // Claude Code's keys use "/" there
			}
			if got := claudeProjectKey(opts.Env, tc.dir); got != want {
				t.Fatalf("key of %s = %s, want %s", tc.dir, got, want)
			}
		})
	}
}

// claudeHome is a temporary home with Claude Code installed, ~/.claude.json
// holding fixture (its "@WORK@" and "@OTHER@" keys standing for the project
// keys of work and of another folder), and the managed settings in a folder
// of the test.
type claudeHome struct {
	c                 Client
	opts              Options
	path, work, other string
	managed           string
}

func newClaudeHome(t *testing.T, fixture string) *claudeHome {
	t.Helper()
	h := &claudeHome{c: mustFind(t, "claude-code"), opts: tempHome(t)}
	h.path = installed(t, h.c, h.opts)
	h.work = filepath.Join(h.opts.Env.Home, "src", "app")
	h.other = filepath.Join(h.opts.Env.Home, "src", "app2") // a name that starts like work's
	os.MkdirAll(h.work, 0o755)
	os.MkdirAll(h.other, 0o755)
	h.opts.WorkDir = h.work
	h.managed = filepath.Join(h.opts.Env.Home, "managed")
	old := claudeManagedDir
	claudeManagedDir = func(Env) string { return h.managed }
	t.Cleanup(func() { claudeManagedDir = old })
	if fixture != "" {
		b, err := os.ReadFile(filepath.Join("testdata", "claude-code", fixture))
		if err != nil {
			t.Fatal(err)
		}
		mkfile(t, h.path, h.fill(string(b)))
	}
	return h
}

func (h *claudeHome) keys() (work, other string) {
	return jsonString(claudeProjectKey(h.opts.Env, h.work)), jsonString(claudeProjectKey(h.opts.Env, h.other))
}

// fill puts the project keys in for the placeholders; unfill takes them out.
func (h *claudeHome) fill(s string) string {
	w, o := h.keys()
	return strings.NewReplacer(`"@WORK@"`, w, `"@OTHER@"`, o).Replace(s)
}

func (h *claudeHome) unfill(s string) string {
	w, o := h.keys()
	return strings.NewReplacer(w, `"@WORK@"`, o, `"@OTHER@"`).Replace(s)
}

// TestClaudeCodeProjectSwitch: /mcp in Claude Code turns a server off for
// one folder (projects[<key>].disabledMcpServers in ~/.claude.json). The
// status is disabled there and only there, and Register takes our name (and
// nothing else) out of that folder's list, keeping the file's layout.
func TestClaudeCodeProjectSwitch(t *testing.T) {
	cases := []struct {
		fixture string
		golden  string // the file after Register, its keys put back as placeholders
	}{
		{fixture: "project-disabled.in", golden: "project-disabled.golden"},
		{fixture: "project-disabled-last.in", golden: "project-disabled-last.golden"},
		{fixture: "project-disabled-only.in", golden: "project-disabled-only.golden"},
		{fixture: "project-disabled-oneline.in", golden: "project-disabled-oneline.golden"},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			h := newClaudeHome(t, tc.fixture)
			before, _ := os.ReadFile(h.path)
			st := wantState(t, h.c, h.opts, Disabled, "turned off with /mcp")
			if !st.Reenable {
				t.Error("a folder's /mcp switch of a user-scope entry does not say Register turns it back on")
			}
			if !strings.Contains(st.Reason, claudeProjectKey(h.opts.Env, h.work)) {
				t.Errorf("reason %q does not name the folder", st.Reason)
			}
			ch, err := h.c.Register(ctx, testEntry, h.opts)
			if err != nil || !ch.Written || ch.Backup == "" {
				t.Fatalf("Register: written=%v backup=%q err=%v", ch != nil && ch.Written, ch.Backup, err)
			}
			if b, _ := os.ReadFile(ch.Backup); !bytes.Equal(b, before) {
				t.Fatal("the backup is not the file as it was")
			}
			after, _ := os.ReadFile(h.path)
			golden(t, filepath.Join("testdata", "claude-code", tc.golden), []byte(h.unfill(string(after))))
			wantState(t, h.c, h.opts, Registered, "")
			// The other folder keeps its own switch.
			other := h.opts
			other.WorkDir = h.other
			wantState(t, h.c, other, Disabled, claudeProjectKey(h.opts.Env, h.other))
			if ch, err := h.c.Register(ctx, testEntry, h.opts); err != nil || ch.Written {
				t.Fatalf("second Register: written=%v err=%v", ch != nil && ch.Written, err)
			}
		})
	}
}

// TestClaudeCodeProjectSwitchMatchesTheFolder: the switch of a folder
// counts for the folders that lead to it (a link, a subfolder of its git
// work tree) and for no other; Register clears only the one that counts.
func TestClaudeCodeProjectSwitchMatchesTheFolder(t *testing.T) {
	h := newClaudeHome(t, "project-disabled.in")
	elsewhere := filepath.Join(h.opts.Env.Home, "elsewhere")
	os.MkdirAll(elsewhere, 0o755)
	o := h.opts
	o.WorkDir = elsewhere
	wantState(t, h.c, o, Registered, "")
	before, _ := os.ReadFile(h.path)
	if ch, err := h.c.Register(context.Background(), testEntry, o); err != nil || ch.Written {
		t.Fatalf("Register in a folder without a switch wrote the file (%v):\n%s", err, ch.Diff())
	}
	if after, _ := os.ReadFile(h.path); !bytes.Equal(after, before) {
		t.Fatal("the file changed")
	}

	// A subfolder of a repository whose root is the key.
	os.MkdirAll(filepath.Join(h.work, ".git"), 0o755)
	o.WorkDir = filepath.Join(h.work, "cmd", "tool")
	os.MkdirAll(o.WorkDir, 0o755)
	wantState(t, h.c, o, Disabled, "with /mcp")

	if runtime.GOOS == "windows" {
		return // links need privileges there
	}
	// The key spelled through a link still names the folder.
	link := filepath.Join(h.opts.Env.Home, "app-link")
	if err := os.Symlink(h.work, link); err != nil {
		t.Fatal(err)
	}
	w, _ := h.keys()
	mkfile(t, h.path, strings.Replace(string(before), w, jsonString(link), 1))
	wantState(t, h.c, h.opts, Disabled, link)
	if _, err := h.c.Register(context.Background(), testEntry, h.opts); err != nil {
		t.Fatal(err)
	}
	wantState(t, h.c, h.opts, Registered, "")
}

// TestClaudeCodePolicy: deniedMcpServers and allowedMcpServers, from the
// managed settings or the user's, make the entry blocked; the reason names
// the file, and Register never lifts a policy.
func TestClaudeCodePolicy(t *testing.T) {
	cmd := `["/home/alice/.mcp-conductor/bin/mcp-conductor", "--stdio"]`
	cases := []struct {
		name   string
		files  map[string]string // "managed/", "user/", "project/", "local/" + name → content
		http   bool
		want   State
		reason string
	}{
		{"no policy", nil, false, Registered, ""},
		{"managed deny by name", map[string]string{"managed/managed-settings.json": `{"deniedMcpServers": [{"serverName": "mcp-conductor"}]}`}, false, Blocked, "ask your administrator"},
		{"managed deny by command", map[string]string{"managed/managed-settings.json": `{"deniedMcpServers": [{"serverCommand": ` + cmd + `}]}`}, false, Blocked, "deniedMcpServers"},
		{"managed deny of another server", map[string]string{"managed/managed-settings.json": `{"deniedMcpServers": [{"serverName": "memory"}, {"serverName": "MCP-Conductor"}]}`}, false, Registered, ""},
		{"drop-in deny", map[string]string{"managed/managed-settings.d/10-mcp.json": `{"deniedMcpServers": [{"serverName": "mcp-conductor"}]}`, "managed/managed-settings.d/.hidden.json": `{}`}, false, Blocked, "10-mcp.json"},
		{"user deny", map[string]string{"user/settings.json": `{"deniedMcpServers": [{"serverName": "mcp-conductor"}]}`}, false, Blocked, "remove it there"},
		{"local deny", map[string]string{"local/settings.local.json": `{"deniedMcpServers": [{"serverName": "mcp-conductor"}]}`}, false, Blocked, "settings.local.json"},
		{"managed allow without us", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": [{"serverName": "memory"}]}`}, false, Blocked, "allowedMcpServers"},
		{"managed allow nothing", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": []}`}, false, Blocked, "does not allow"},
		{"managed allow us", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": [{"serverName": "mcp-conductor"}]}`}, false, Registered, ""},
		{"allow lists merge", map[string]string{"user/settings.json": `{"allowedMcpServers": [{"serverName": "mcp-conductor"}]}`, "managed/managed-settings.json": `{"allowedMcpServers": [{"serverName": "memory"}]}`}, false, Registered, ""},
		{"only the managed allow list", map[string]string{"user/settings.json": `{"allowedMcpServers": [{"serverName": "mcp-conductor"}]}`, "managed/managed-settings.json": `{"allowManagedMcpServersOnly": true, "allowedMcpServers": [{"serverName": "memory"}]}`}, false, Blocked, "administrator"},
		{"a user cannot claim the managed-only switch", map[string]string{"user/settings.json": `{"allowManagedMcpServersOnly": true}`, "project/settings.json": `{"allowedMcpServers": [{"serverName": "mcp-conductor"}]}`, "managed/managed-settings.json": `{"allowedMcpServers": [{"serverName": "memory"}]}`}, false, Registered, ""},
		{"command rules judge a command", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": [{"serverName": "mcp-conductor"}, {"serverCommand": ["npx", "server-memory"]}]}`}, false, Blocked, "allowedMcpServers"},
		{"allowed by command", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": [{"serverCommand": ` + cmd + `}]}`}, false, Registered, ""},
		{"allowed by URL", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": [{"serverUrl": "http://127.0.0.1:*/mcp"}]}`}, true, Registered, ""},
		{"URL not allowed", map[string]string{"managed/managed-settings.json": `{"allowedMcpServers": [{"serverUrl": "https://*.example.com/*"}, {"serverName": "mcp-conductor"}]}`}, true, Blocked, "allowedMcpServers"},
		{"managed-mcp.json fixes the servers", map[string]string{"managed/managed-mcp.json": `{"mcpServers": {"memory": {"command": "npx"}}}`}, false, Blocked, "ask them to add mcp-conductor"},
		{"a managed-mcp.json that is not one", map[string]string{"managed/managed-mcp.json": `{"servers": []}`}, false, Registered, ""},
		{"plugins only", map[string]string{"managed/managed-settings.json": `{"strictPluginOnlyCustomization": true}`}, false, Blocked, "only plugins'"},
		{"plugins only for MCP", map[string]string{"managed/managed-settings.json": `{"strictPluginOnlyCustomization": ["skills", "mcp"]}`}, false, Blocked, "strictPluginOnlyCustomization"},
		{"plugins only for skills", map[string]string{"managed/managed-settings.json": `{"strictPluginOnlyCustomization": ["skills"]}`}, false, Registered, ""},
		{"plugins only is the administrator's", map[string]string{"user/settings.json": `{"strictPluginOnlyCustomization": true}`}, false, Registered, ""},
		{"denied by URL", map[string]string{"managed/managed-settings.json": `{"deniedMcpServers": [{"serverUrl": "http://127.0.0.1:*/*"}]}`}, true, Blocked, "deniedMcpServers"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newClaudeHome(t, "")
			e := testEntry
			if tc.http {
				e = HTTPEntry("http://127.0.0.1:7345/mcp", "s3cret")
			}
			if _, err := h.c.Register(context.Background(), e, h.opts); err != nil {
				t.Fatal(err)
			}
			dirs := map[string]string{
				"managed": h.managed,
				"user":    filepath.Join(h.opts.Env.Home, ".claude"),
				"project": filepath.Join(h.work, ".claude"),
				"local":   filepath.Join(h.work, ".claude"),
			}
			var policy string
			for name, content := range tc.files {
				where, file, _ := strings.Cut(name, "/")
				p := filepath.Join(dirs[where], filepath.FromSlash(file))
				mkfile(t, p, content)
				policy = p
			}
			st := h.c.Status(e, h.opts)
			if st.State != tc.want || !strings.Contains(st.Reason, tc.reason) {
				t.Fatalf("state %v (%q), want %v with %q", st.State, st.Reason, tc.want, tc.reason)
			}
			if tc.want != Blocked {
				return
			}
			if len(tc.files) == 1 && !strings.Contains(st.Reason, policy) {
				t.Errorf("reason %q does not name %s", st.Reason, policy)
			}
			if strings.HasPrefix(tc.name, "user") && strings.Contains(st.Reason, "administrator") {
				t.Errorf("the user's own setting is blamed on an administrator: %q", st.Reason)
			}
			ch, err := h.c.Register(context.Background(), e, h.opts)
			if err != nil || ch.Written {
				t.Fatalf("Register over a policy: written=%v err=%v", ch != nil && ch.Written, err)
			}
			for name, content := range tc.files {
				where, file, _ := strings.Cut(name, "/")
				if b, _ := os.ReadFile(filepath.Join(dirs[where], filepath.FromSlash(file))); string(b) != content {
					t.Fatalf("Register changed %s", name)
				}
			}
			wantState(t, h.c, h.opts, Blocked, "")
		})
	}
}

// TestClaudeCodeProjectScope: an entry in a project's .mcp.json is off when
// the user turned it off there with /mcp or rejected the project's server;
// register --project edits only .mcp.json, so the reason says what to do in
// Claude Code.
func TestClaudeCodeProjectScope(t *testing.T) {
	cases := []struct {
		name, file, content, reason string
	}{
		{"/mcp switch", "", "", "with /mcp in Claude Code"},
		{"rejected in local settings", ".claude/settings.local.json", `{"disabledMcpjsonServers": ["mcp-conductor"]}`, "reset-project-choices"},
		{"rejected in project settings", ".claude/settings.json", `{"disabledMcpjsonServers": ["mcp-conductor"]}`, "disabledMcpjsonServers"},
		{"rejected in ~/.claude.json", "", `"disabledMcpjsonServers": ["mcp-conductor"]`, ".claude.json"},
		{"approved", ".claude/settings.local.json", `{"enabledMcpjsonServers": ["mcp-conductor"], "disabledMcpjsonServers": ["memory"]}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newClaudeHome(t, "")
			h.opts.ProjectDir = h.work
			w, _ := h.keys()
			switch {
			case tc.file != "":
				mkfile(t, filepath.Join(h.work, filepath.FromSlash(tc.file)), tc.content)
			case tc.content != "":
				mkfile(t, h.path, `{"projects": {`+w+`: {`+tc.content+`}}}`)
			default:
				mkfile(t, h.path, `{"projects": {`+w+`: {"disabledMcpServers": ["mcp-conductor"]}}}`)
			}
			user, _ := os.ReadFile(h.path)
			if _, err := h.c.Register(context.Background(), testEntry, h.opts); err != nil {
				t.Fatal(err)
			}
			want := Disabled
			if tc.reason == "" {
				want = Registered
			}
			wantState(t, h.c, h.opts, want, tc.reason)
			if b, _ := os.ReadFile(h.path); !bytes.Equal(b, user) {
				t.Fatal("register --project changed ~/.claude.json")
			}
		})
	}
}

// TestClaudeCodeOddShapesAreLeftAlone: ~/.claude.json is Claude Code's, and
// a value of another shape than it writes, or our name where it is not a
// switch, is never edited: Register changes our entry only, and the
// planted canary (the file's other bytes) comes out intact.
func TestClaudeCodeOddShapesAreLeftAlone(t *testing.T) {
	const canary = `"oauthAccount": {"accessToken": "canary-token-7f3a"}`
	cases := []struct {
		name, projects string
		want           State
	}{
		{"projects is a list", `["@WORK@"]`, Registered},
		{"the folder's entry is text", `{"@WORK@": "mcp-conductor"}`, Registered},
		{"the switch is an object", `{"@WORK@": {"disabledMcpServers": {"mcp-conductor": true}}}`, Registered},
		{"the switch holds objects", `{"@WORK@": {"disabledMcpServers": [{"name": "mcp-conductor"}, ["mcp-conductor"]]}}`, Registered},
		{"another spelling", `{"@WORK@": {"disabledMcpServers": ["MCP-Conductor", " mcp-conductor", "mcp-conductor2"]}}`, Registered},
		{"the name in the history", `{"@WORK@": {"history": [{"display": "disabledMcpServers: [\"mcp-conductor\"]"}], "disabledMcpServers": []}}`, Registered},
		{"another folder's switch", `{"@OTHER@": {"disabledMcpServers": ["mcp-conductor"]}}`, Registered},
		{"the switch is text", `{"@WORK@": {"disabledMcpServers": "mcp-conductor,memory"}}`, Disabled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newClaudeHome(t, "")
			if _, err := h.c.Register(context.Background(), testEntry, h.opts); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(h.path)
			odd := strings.Replace(string(b), "{", "{\n  "+canary+",\n  \"projects\": "+h.fill(tc.projects)+",", 1)
			mkfile(t, h.path, odd)
			reason := ""
			if tc.want == Disabled {
				reason = "fix it by hand"
			}
			wantState(t, h.c, h.opts, tc.want, reason)
			ch, err := h.c.Register(context.Background(), testEntry, h.opts)
			if err != nil || ch.Written {
				t.Fatalf("Register over %s: written=%v err=%v\n%s", tc.name, ch != nil && ch.Written, err, ch.Diff())
			}
			if after, _ := os.ReadFile(h.path); string(after) != odd {
				t.Fatalf("the file changed:\n%s", unifiedDiff(h.path, odd, string(after)))
			}
		})
	}
}
