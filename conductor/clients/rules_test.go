package clients

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// jsonString is s as a JSON string literal (a Windows path's backslashes
// escaped).
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// registered writes c's file holding our entry (as Register writes it)
// and returns its path.
func registered(t *testing.T, c Client, opts Options) string {
	t.Helper()
	path := installed(t, c, opts)
	if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
		t.Fatal(err)
	}
	return path
}

func wantState(t *testing.T, c Client, opts Options, want State, reason string) Status {
	t.Helper()
	st := c.Status(testEntry, opts)
	if st.State != want || !strings.Contains(st.Reason, reason) {
		t.Fatalf("%s: state %v (%q), want %v with a reason containing %q", c.ID, st.State, st.Reason, want, reason)
	}
	return st
}

// TestSwitchedOffEntryIsDisabledAndRegisterTurnsItOn: Cline writes
// "disabled": true, opencode "enabled": false, Codex enabled = false. The
// status says so (not "registered"), and Register flips only that switch.
func TestSwitchedOffEntryIsDisabledAndRegisterTurnsItOn(t *testing.T) {
	cases := []struct{ id, on, off string }{
		{"cline", `"args": ["--stdio"],`, `"args": ["--stdio"], "disabled": true,`},
		{"opencode", `"type": "local",`, `"type": "local", "enabled": false,`},
		{"zed", `"source": "custom",`, `"source": "custom", "enabled": false,`},
		{"codex", "args = [\"--stdio\"]\n", "args = [\"--stdio\"]\nenabled = false\n"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			c := mustFind(t, tc.id)
			opts := tempHome(t)
			path := registered(t, c, opts)
			b, _ := os.ReadFile(path)
			if !strings.Contains(string(b), tc.on) {
				t.Fatalf("fixture: %q not in\n%s", tc.on, b)
			}
			os.WriteFile(path, []byte(strings.Replace(string(b), tc.on, tc.off, 1)), 0o600)
			if st := wantState(t, c, opts, Disabled, "the client set"); !st.Reenable {
				t.Errorf("%s: a switched-off entry does not say Register turns it back on", tc.id)
			}
			ch, err := c.Register(context.Background(), testEntry, opts)
			if err != nil || !ch.Written {
				t.Fatalf("Register over a switched-off entry: written=%v err=%v", ch != nil && ch.Written, err)
			}
			after, _ := os.ReadFile(path)
			flipped := strings.NewReplacer(`"disabled": true`, `"disabled": false`, `"enabled": false`, `"enabled": true`, "enabled = false", "enabled = true").Replace(string(ch.Before))
			if tc.id == "codex" { // TOML keys we do not own follow ours
				flipped = strings.Replace(strings.Replace(flipped, "enabled = true\n", "", 1), "\n\n", "\nenabled = true\n\n", 1)
				if !strings.Contains(flipped, "enabled") {
					flipped += "enabled = true\n"
				}
			}
			if string(after) != flipped {
				t.Fatalf("Register changed more than the switch:\n%s", unifiedDiff(path, flipped, string(after)))
			}
			wantState(t, c, opts, Registered, "")
		})
	}
}

func TestGeminiRules(t *testing.T) {
	c := mustFind(t, "gemini")
	opts := tempHome(t)
	t.Setenv("GEMINI_CLI_TRUST_WORKSPACE", "")
	path := registered(t, c, opts)
	work := filepath.Join(opts.Env.Home, "src", "app")
	os.MkdirAll(work, 0o755)
	opts.WorkDir = work
	gem := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(opts.Env.Home, ".gemini", name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	wantState(t, c, opts, Disabled, work+" is not one")
	q := jsonString // a Windows path's backslashes must be escaped in JSON
	gem("trustedFolders.json", `{`+q(filepath.Join(opts.Env.Home, "src"))+`: "TRUST_FOLDER"}`)
	wantState(t, c, opts, Registered, "")
	gem("trustedFolders.json", `{`+q(filepath.Join(opts.Env.Home, "src"))+`: "TRUST_FOLDER", `+q(work)+`: "DO_NOT_TRUST"}`)
	wantState(t, c, opts, Disabled, "trusted folders")
	gem("trustedFolders.json", `{`+q(filepath.Join(work, "x"))+`: "TRUST_PARENT"}`)
	wantState(t, c, opts, Registered, "")

	b, _ := os.ReadFile(path)
	withMCP := func(mcp string) {
		os.WriteFile(path, []byte(strings.Replace(string(b), "{", "{\n  "+mcp+",", 1)), 0o600)
	}
	withMCP(`"mcp": {"allowed": ["memory"]}`)
	wantState(t, c, opts, Blocked, "mcp.allowed in "+path)
	withMCP(`"mcp": {"allowed": ["MCP-Conductor"], "excluded": ["mcp-conductor"]}`)
	wantState(t, c, opts, Blocked, "mcp.excluded in "+path)
	withMCP(`"mcp": {"allowed": ["mcp-conductor"]}`)
	wantState(t, c, opts, Registered, "")

	gem("mcp-server-enablement.json", `{"mcp-conductor": {"enabled": false}}`)
	wantState(t, c, opts, Disabled, "gemini mcp enable mcp-conductor")
	gem("mcp-server-enablement.json", `{}`)

	system := filepath.Join(opts.Env.Home, "etc-gemini.json")
	t.Setenv("GEMINI_CLI_SYSTEM_SETTINGS_PATH", system)
	os.WriteFile(system, []byte(`{"admin": {"mcp": {"enabled": false}}}`), 0o600)
	wantState(t, c, opts, Blocked, "administrator")
	os.WriteFile(system, []byte(`{"security": {"folderTrust": {"enabled": false}}}`), 0o600)
	gem("trustedFolders.json", `{}`)
	wantState(t, c, opts, Registered, "") // folder trust off: every folder runs servers
}

func TestQwenRules(t *testing.T) {
	c := mustFind(t, "qwen")
	opts := tempHome(t)
	path := registered(t, c, opts)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), "{", `{"mcp": {"excluded": ["mcp-conductor"]},`, 1)), 0o600)
	wantState(t, c, opts, Blocked, "mcp.excluded")
	os.WriteFile(path, []byte(strings.Replace(string(b), "{", `{"mcp": {"allowed": []},`, 1)), 0o600)
	wantState(t, c, opts, Blocked, "mcp.allowed")
}

// TestClinePlaces: the extension and the CLI read different files; the
// place is chosen by what is installed, or named.
func TestClinePlaces(t *testing.T) {
	c := mustFind(t, "cline")
	opts := tempHome(t)
	t.Setenv("PATH", "")
	home := opts.Env.Home
	cli := filepath.Join(home, ".cline", "data", "settings", "cline_mcp_settings.json")
	path := func(o Options) string {
		t.Helper()
		p, err := c.ConfigPath(o)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// VS Code's user folder is this system's (%APPDATA%\Code on Windows).
	extOpts := opts
	extOpts.Place = "extension"
	ext := path(extOpts)
	if !strings.HasSuffix(filepath.ToSlash(ext), "Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json") {
		t.Fatalf("the extension's place: %s", ext)
	}
	if got := c.InstalledPlaces(opts); len(got) != 0 || c.Installed(opts) {
		t.Fatalf("fresh home: installed places %v", got)
	}
	named := opts
	named.Place = "cli"
	if p := path(named); p != cli {
		t.Fatalf("Place cli: %s", p)
	}
	named.Place = "nope"
	if _, err := c.ConfigPath(named); err == nil || !strings.Contains(err.Error(), "extension or cli") {
		t.Fatalf("unknown place: %v", err)
	}
	os.MkdirAll(filepath.Join(home, ".cline"), 0o755) // the CLI ran once
	if p := path(opts); p != cli || !c.Installed(opts) {
		t.Fatalf("CLI installed: %s", p)
	}
	os.MkdirAll(filepath.Dir(filepath.Dir(ext)), 0o755) // the extension too
	if got := c.InstalledPlaces(opts); len(got) != 2 || path(opts) != ext {
		t.Fatalf("both installed: %v, default %s", got, path(opts))
	}
	t.Setenv("CLINE_DATA_DIR", filepath.Join(home, "cline-data"))
	named.Place = "cli"
	if p := path(named); p != filepath.Join(home, "cline-data", "settings", "cline_mcp_settings.json") {
		t.Fatalf("CLINE_DATA_DIR: %s", p)
	}

	// A program on PATH counts as installed.
	opts = tempHome(t)
	bin := t.TempDir()
	name := "cline"
	if runtime.GOOS == "windows" {
		name += ".cmd" // what npm puts on PATH there
	}
	os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755)
	t.Setenv("PATH", bin)
	if got := c.InstalledPlaces(opts); len(got) != 1 || got[0] != "cli" {
		t.Fatalf("cline on PATH: %v", got)
	}
}

// TestUnregisterRemovesWhatRegisterCreated: a project file (and folder)
// that only register created is gone after unregister; a file that held
// anything else stays.
func TestUnregisterRemovesWhatRegisterCreated(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ id, file string }{
		{"claude-code", ".mcp.json"}, {"cursor", ".cursor/mcp.json"}, {"codex", ".codex/config.toml"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			c := mustFind(t, tc.id)
			opts := tempHome(t)
			opts.ProjectDir = t.TempDir()
			if _, err := c.Register(ctx, testEntry, opts); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(opts.ProjectDir, tc.file)
			ch, err := c.Unregister(ctx, opts)
			if err != nil || !ch.Removed || exists(file) {
				t.Fatalf("unregister: removed=%v err=%v; %s exists=%v", ch != nil && ch.Removed, err, file, exists(file))
			}
			if ents, _ := os.ReadDir(opts.ProjectDir); len(ents) != 0 || !exists(opts.ProjectDir) {
				t.Fatalf("project folder left with %v", ents)
			}
			if b, _ := c.Backups(opts); len(b) != 1 {
				t.Fatalf("%d backups, want the one taken before the removal", len(b))
			}
		})
	}
	// The user's own empty list stays.
	c := mustFind(t, "claude-code")
	opts := tempHome(t)
	opts.ProjectDir = t.TempDir()
	file := filepath.Join(opts.ProjectDir, ".mcp.json")
	os.WriteFile(file, []byte("{\n  \"mcpServers\": {}\n}\n"), 0o644)
	c.Register(ctx, testEntry, opts)
	if ch, err := c.Unregister(ctx, opts); err != nil || ch.Removed || !exists(file) {
		t.Fatalf("a file the user made was removed (%v)", err)
	}
	// Another server added after registering keeps the file.
	os.Remove(file)
	c.Register(ctx, testEntry, opts)
	b, _ := os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(b), `"mcpServers": {`, `"mcpServers": {"mine": {"command": "x"},`, 1)), 0o644)
	if ch, err := c.Unregister(ctx, opts); err != nil || ch.Removed || !exists(file) {
		t.Fatalf("a file with another server was removed (%v)", err)
	}
}

// TestHomeIsPrivate: the home is owner-only as the system reports it (on
// Windows its access list; mode bits mean nothing there).
func TestHomeIsPrivate(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "app")
	os.WriteFile(exe, []byte("x"), 0o755)
	for _, tc := range []struct {
		name     string
		existing os.FileMode // 0 = absent
		private  bool
	}{
		{".mcp-conductor", 0, true},
		{".mcp-conductor", 0o755, true}, // left so by an older register
		{"custom-home", 0o755, false},   // chosen with MCP_CONDUCTOR_HOME
	} {
		home := filepath.Join(t.TempDir(), tc.name)
		if tc.existing != 0 {
			os.Mkdir(home, tc.existing)
			os.Chmod(home, tc.existing)
		}
		if _, err := InstallLauncher(home, exe); err != nil {
			t.Fatal(err)
		}
		if ok, err := fsx.IsPrivate(home); err != nil || ok != tc.private {
			t.Errorf("%s (was %v): private %v, %v; want %v", tc.name, tc.existing, ok, err, tc.private)
		}
	}
	opts := tempHome(t)
	installed(t, mustFind(t, "cursor"), opts)
	if _, err := mustFind(t, "cursor").Register(context.Background(), testEntry, opts); err != nil {
		t.Fatal(err)
	}
	if ok, err := fsx.IsPrivate(opts.Home); err != nil || !ok {
		t.Fatalf("register created the home: private %v, %v", ok, err)
	}
}

func TestZedOldEntryLacksSource(t *testing.T) {
	c := mustFind(t, "zed")
	opts := tempHome(t)
	path := registered(t, c, opts)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), `"source": "custom",`, "", 1)), 0o600)
	if st := c.Status(testEntry, opts); st.State != Drifted || len(st.Differs) != 1 || st.Differs[0] != "source" {
		t.Fatalf("%v %v", st.State, st.Differs)
	}
}

// TestUnregisterUserScopeKeepsFolders: in the home, the file register
// created goes, the client's folder stays.
func TestUnregisterUserScopeKeepsFolders(t *testing.T) {
	c := mustFind(t, "cursor")
	opts := tempHome(t)
	opts.Force = true
	if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
		t.Fatal(err)
	}
	path, _ := c.ConfigPath(opts)
	if ch, err := c.Unregister(context.Background(), opts); err != nil || !ch.Removed || exists(path) || !exists(filepath.Dir(path)) {
		t.Fatalf("unregister: %v; file there %v, folder there %v", err, exists(path), exists(filepath.Dir(path)))
	}
	if st := c.Status(testEntry, opts); st.State != Installed {
		t.Fatalf("state %v, want installed", st.State)
	}
}
