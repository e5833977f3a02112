package clients

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

func mustFind(t *testing.T, id string) Client {
	t.Helper()
	c, err := Find(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	c := mustFind(t, "cursor")
	opts := tempHome(t)
	if st := c.Status(testEntry, opts); st.State != NotInstalled {
		t.Fatalf("no ~/.cursor: state %v, want not installed", st.State)
	}
	if _, err := c.Register(ctx, testEntry, opts); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("Register on a missing client: %v, want a hint about --force", err)
	}
	path := installed(t, c, opts)
	if st := c.Status(testEntry, opts); st.State != Installed || st.Path != path {
		t.Fatalf("state %v at %s, want installed at %s", st.State, st.Path, path)
	}
	if _, err := c.Register(ctx, testEntry, opts); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(testEntry, opts); st.State != Registered {
		t.Fatalf("state %v, want registered", st.State)
	}
	// Someone edits our entry: drift on the fields they touched.
	other := testEntry
	other.Command = "/elsewhere/mcp-conductor"
	other.Env = map[string]string{"MCP_CONDUCTOR_HOME": "/x"}
	if st := c.Status(other, opts); st.State != Drifted || !slices.Equal(st.Differs, []string{"command", "env"}) {
		t.Fatalf("state %v differs %v, want drifted on command and env", st.State, st.Differs)
	}
	if st := c.Status(HTTPEntry("http://127.0.0.1:1/mcp", ""), opts); st.State != Drifted || !slices.Equal(st.Differs, []string{"args", "command", "env", "url"}) {
		t.Fatalf("stdio vs HTTP: %v %v", st.State, st.Differs)
	}
	ch, err := c.Repair(ctx, other, opts)
	if err != nil || !ch.Written {
		t.Fatalf("Repair: %v", err)
	}
	if st := c.Status(other, opts); st.State != Registered {
		t.Fatalf("after repair: %v", st.State)
	}
	os.WriteFile(path, []byte("{ nope"), 0o600)
	st := c.Status(other, opts)
	if st.State != Unreadable || st.Err == nil || !strings.Contains(st.Err.Error(), path+":1:") {
		t.Fatalf("broken file: %v %v", st.State, st.Err)
	}
}

func TestBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	c := mustFind(t, "claude-desktop")
	opts := tempHome(t)
	path := installed(t, c, opts)
	orig := []byte(`{"mcpServers": {"a": {"command": "a"}}, "globalShortcut": "Ctrl+Space"}` + "\n")
	os.WriteFile(path, orig, 0o644)
	ch, err := c.Register(ctx, testEntry, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644 {
		t.Errorf("mode after write = %v, want 0644 kept", fi.Mode().Perm())
	}
	if !strings.HasPrefix(ch.Backup, filepath.Join(opts.Home, "backups", "claude-desktop")) {
		t.Fatalf("backup at %q, want under the conductor home", ch.Backup)
	}
	if b, _ := os.ReadFile(ch.Backup); string(b) != string(orig) {
		t.Fatalf("backup holds %q", b)
	}
	list, err := c.Backups(opts)
	if err != nil || len(list) != 1 || list[0].Original != path || list[0].Time.IsZero() {
		t.Fatalf("Backups = %+v, %v", list, err)
	}
	registered, _ := os.ReadFile(path)
	b, err := c.Restore(ctx, "", opts)
	if err != nil || b.Name != list[0].Name {
		t.Fatalf("Restore: %v %v", b, err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(orig) {
		t.Fatalf("restored %q", got)
	}
	// The restore backed up what it replaced, so it can be undone.
	list, _ = c.Backups(opts)
	if len(list) != 2 {
		t.Fatalf("%d backups after restore, want 2", len(list))
	}
	if _, err := c.Restore(ctx, list[0].Name, opts); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(registered) {
		t.Fatalf("undoing the restore gave %q", got)
	}
	if _, err := c.Restore(ctx, "nope", opts); err == nil || !strings.Contains(err.Error(), "clients backups") {
		t.Fatalf("unknown backup: %v", err)
	}
}

func TestBackupsArePruned(t *testing.T) {
	opts := tempHome(t)
	for i := 0; i < keepBackups+5; i++ {
		if _, err := saveBackup(opts.Home, "cursor", "/x/mcp.json", []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := mustFind(t, "cursor").Backups(opts)
	if len(list) != keepBackups || list[0].File == list[1].File {
		t.Fatalf("%d backups kept, want %d distinct", len(list), keepBackups)
	}
	if b, _ := os.ReadFile(list[0].File); b[0] != keepBackups+4 {
		t.Fatalf("newest backup holds %d", b[0])
	}
}

func TestLock(t *testing.T) {
	opts := tempHome(t)
	c := mustFind(t, "cursor")
	path := installed(t, c, opts)
	unlock, err := lock(context.Background(), opts.Home, path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := c.Register(ctx, testEntry, opts); err == nil || !strings.Contains(err.Error(), "another mcp-conductor") {
		t.Fatalf("Register while locked: %v", err)
	}
	if exists(path) {
		t.Fatal("wrote while locked")
	}
	unlock()
	if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
		t.Fatal(err)
	}
	// A lock file left on disk is no lock: only a live holder's lock counts
	// (the kernel releases a crashed holder's; see fsx.TestLockBetweenProcesses).
	if locks, _ := filepath.Glob(filepath.Join(opts.Home, "locks", "*.lock")); len(locks) != 1 {
		t.Fatalf("lock files: %v", locks)
	}
	if _, err := c.Unregister(context.Background(), opts); err != nil {
		t.Fatalf("a leftover lock file blocked an edit: %v", err)
	}
}

func TestSymlinkedConfigStaysALink(t *testing.T) {
	opts := tempHome(t)
	c := mustFind(t, "gemini")
	path := installed(t, c, opts)
	real := filepath.Join(opts.Env.Home, "dotfiles", "gemini.json")
	os.MkdirAll(filepath.Dir(real), 0o755)
	os.WriteFile(real, []byte(`{"theme": "dark"}`), 0o600)
	if err := os.Symlink(real, path); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(path); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symbolic link was replaced by a file")
	}
	if b, _ := os.ReadFile(real); !strings.Contains(string(b), ServerName) || !strings.Contains(string(b), `"theme": "dark"`) {
		t.Fatalf("link target = %s", b)
	}
}

func TestNewFileIsPrivate(t *testing.T) {
	opts := tempHome(t)
	c := mustFind(t, "windsurf")
	path := installed(t, c, opts)
	if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
		t.Fatal(err)
	}
	if ok, err := fsx.IsPrivate(path); err != nil || !ok {
		t.Fatalf("new file private %v, %v; want owner-only (entries can carry tokens)", ok, err)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	opts := tempHome(t)
	c := mustFind(t, "cursor")
	path := installed(t, c, opts)
	os.WriteFile(path, []byte("{\n  \"mcpServers\": {}\n}\n"), 0o600)
	opts.DryRun = true
	ch, err := c.Register(context.Background(), testEntry, opts)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Written || countBackups(t, c, opts) != 0 {
		t.Fatal("dry run wrote")
	}
	if b, _ := os.ReadFile(path); string(b) != "{\n  \"mcpServers\": {}\n}\n" {
		t.Fatalf("dry run changed the file: %s", b)
	}
	want := "--- " + path + "\n+++ " + path + "\n@@ -1,3 +1,11 @@\n {\n-  \"mcpServers\": {}\n+  \"mcpServers\": {\n+    \"mcp-conductor\": {\n"
	if d := ch.Diff(); !strings.HasPrefix(d, want) || !strings.HasSuffix(d, "+  }\n }\n") {
		t.Fatalf("diff:\n%s\nwant prefix:\n%s", d, want)
	}
}

func TestProjectScope(t *testing.T) {
	opts := tempHome(t)
	opts.ProjectDir = t.TempDir()
	for _, c := range All() {
		_, err := c.Register(context.Background(), testEntry, opts)
		if !c.ProjectScope {
			if err == nil || !strings.Contains(err.Error(), "without --project") {
				t.Errorf("%s: project registration error = %v", c.ID, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		if st := c.Status(testEntry, opts); st.State != Registered || !strings.HasPrefix(st.Path, opts.ProjectDir) {
			t.Errorf("%s: %v at %s", c.ID, st.State, st.Path)
		}
	}
	for _, p := range []string{".cursor/mcp.json", ".vscode/mcp.json", ".mcp.json", ".gemini/settings.json", ".codex/config.toml", ".zed/settings.json"} {
		if !exists(filepath.Join(opts.ProjectDir, p)) {
			t.Errorf("%s not written", p)
		}
	}
}

func TestConfigPathsPerOS(t *testing.T) {
	env := func(goos, home string, vars map[string]string) Env {
		return Env{GOOS: goos, Home: home, Getenv: func(k string) string { return vars[k] }}
	}
	mac := env("darwin", "/Users/alice", nil)
	win := env("windows", `C:\Users\alice`, map[string]string{"APPDATA": `C:\Users\alice\AppData\Roaming`})
	lin := env("linux", "/home/alice", nil)
	codex := env("linux", "/home/alice", map[string]string{"CODEX_HOME": "/srv/codex", "CLAUDE_CONFIG_DIR": "/srv/claude"})
	cases := []struct {
		id   string
		env  Env
		want string
	}{
		{"cursor", win, `C:\Users\alice\.cursor\mcp.json`},
		{"claude-desktop", mac, "/Users/alice/Library/Application Support/Claude/claude_desktop_config.json"},
		{"claude-desktop", win, `C:\Users\alice\AppData\Roaming\Claude\claude_desktop_config.json`},
		{"claude-desktop", lin, "/home/alice/.config/Claude/claude_desktop_config.json"},
		{"vscode", mac, "/Users/alice/Library/Application Support/Code/User/mcp.json"},
		{"vscode", win, `C:\Users\alice\AppData\Roaming\Code\User\mcp.json`},
		{"vscode", lin, "/home/alice/.config/Code/User/mcp.json"},
		{"windsurf", lin, "/home/alice/.codeium/windsurf/mcp_config.json"},
		{"claude-code", lin, "/home/alice/.claude.json"},
		{"claude-code", codex, "/srv/claude/.claude.json"},
		{"gemini", win, `C:\Users\alice\.gemini\settings.json`},
		{"codex", lin, "/home/alice/.codex/config.toml"},
		{"codex", codex, "/srv/codex/config.toml"},
		{"zed", mac, "/Users/alice/.config/zed/settings.json"},
		{"zed", win, `C:\Users\alice\AppData\Roaming\Zed\settings.json`},
		{"lmstudio", mac, "/Users/alice/.lmstudio/mcp.json"},
		{"cline", lin, "/home/alice/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"},
		{"qwen", lin, "/home/alice/.qwen/settings.json"},
		{"qwen", win, `C:\Users\alice\.qwen\settings.json`},
		{"opencode", lin, "/home/alice/.config/opencode/opencode.json"},
		{"opencode", mac, "/Users/alice/.config/opencode/opencode.json"},
		{"opencode", win, `C:\Users\alice\.config\opencode\opencode.json`},
		// Every client on macOS, as each client's documentation gives it.
		{"cursor", mac, "/Users/alice/.cursor/mcp.json"},
		{"windsurf", mac, "/Users/alice/.codeium/windsurf/mcp_config.json"},
		{"claude-code", mac, "/Users/alice/.claude.json"},
		{"gemini", mac, "/Users/alice/.gemini/settings.json"},
		{"codex", mac, "/Users/alice/.codex/config.toml"},
		{"cline", mac, "/Users/alice/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"},
		{"qwen", mac, "/Users/alice/.qwen/settings.json"},
	}
	for _, tc := range cases {
		got, err := mustFind(t, tc.id).ConfigPath(Options{Env: tc.env})
		// Another system's paths are built with this one's separator.
		if err != nil || filepath.ToSlash(got) != filepath.ToSlash(tc.want) {
			t.Errorf("%s on %s: %q, %v; want %q", tc.id, tc.env.GOOS, got, err, tc.want)
		}
	}
}

func TestClaudeDesktopMSIX(t *testing.T) {
	home := t.TempDir()
	local := filepath.Join(home, "Local")
	msix := filepath.Join(local, "Packages", "Claude_pzs8sxrjxfjjc", "LocalCache", "Roaming", "Claude")
	// Windows locations rooted in this host's temporary folder.
	e := Env{GOOS: "windows", Home: home, Getenv: func(k string) string {
		return map[string]string{"LOCALAPPDATA": local, "APPDATA": filepath.Join(home, "Roaming")}[k]
	}}
	c := mustFind(t, "claude-desktop")
	if got, _ := c.ConfigPath(Options{Env: e}); got != filepath.Join(home, "Roaming", "Claude", "claude_desktop_config.json") {
		t.Fatalf("without the MSIX package: %q", got)
	}
	os.MkdirAll(filepath.Join(home, "Roaming", "Claude"), 0o755) // a legacy file too
	os.WriteFile(filepath.Join(home, "Roaming", "Claude", "claude_desktop_config.json"), []byte("{}"), 0o600)
	os.MkdirAll(msix, 0o755)
	got, err := c.ConfigPath(Options{Env: e})
	if err != nil || got != filepath.Join(msix, "claude_desktop_config.json") {
		t.Fatalf("%q %v", got, err)
	}
}

func TestLinks(t *testing.T) {
	links, err := Links(testEntry)
	if err != nil {
		t.Fatal(err)
	}
	byClient := map[string]string{}
	for _, l := range links {
		byClient[l.Client] = l.Value
	}
	u, err := url.Parse(byClient["cursor"])
	if err != nil || u.Scheme != "cursor" || u.Host != "anysphere.cursor-deeplink" || u.Path != "/mcp/install" || u.Query().Get("name") != ServerName {
		t.Fatalf("cursor link %q", byClient["cursor"])
	}
	raw, err := base64.StdEncoding.DecodeString(u.Query().Get("config"))
	var cfg struct {
		Command string
		Args    []string
		Env     map[string]string
	}
	if err != nil || json.Unmarshal(raw, &cfg) != nil || cfg.Command != testEntry.Command || !slices.Equal(cfg.Args, []string{"--stdio"}) || cfg.Env["MCP_CONDUCTOR_HOME"] == "" {
		t.Fatalf("cursor config %s (%v)", raw, err)
	}
	v, ok := strings.CutPrefix(byClient["vscode"], "vscode:mcp/install?")
	js, err := url.PathUnescape(v)
	var vs map[string]any
	if !ok || err != nil || json.Unmarshal([]byte(js), &vs) != nil || vs["name"] != ServerName || vs["type"] != "stdio" || vs["command"] != testEntry.Command {
		t.Fatalf("vscode link %q", byClient["vscode"])
	}
	if want := "claude mcp add --scope user mcp-conductor -e MCP_CONDUCTOR_HOME=/home/alice/.mcp-conductor -- /home/alice/.mcp-conductor/bin/mcp-conductor --stdio"; byClient["claude-code"] != want {
		t.Errorf("claude command %q", byClient["claude-code"])
	}
	if want := "codex mcp add mcp-conductor --env MCP_CONDUCTOR_HOME=/home/alice/.mcp-conductor -- /home/alice/.mcp-conductor/bin/mcp-conductor --stdio"; byClient["codex"] != want {
		t.Errorf("codex command %q", byClient["codex"])
	}
	http, _ := Links(HTTPEntry("http://127.0.0.1:7345/mcp", "t"))
	if got := http[2].Value; got != "claude mcp add --scope user --transport http mcp-conductor http://127.0.0.1:7345/mcp --header 'Authorization: Bearer t'" {
		t.Errorf("claude HTTP command %q", got)
	}
}

func TestShellQuote(t *testing.T) {
	got := ShellQuote([]string{"a", "b c", "it's", "", "/p/x=1"})
	if want := `a 'b c' 'it'\''s' '' /p/x=1`; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

func TestConductorEnv(t *testing.T) {
	got := ConductorEnv([]string{"PATH=/bin", "MCP_CONDUCTOR_HOME=/h", "MCP_CONDUCTOR_TIMEOUT=5s", "MCP_CONDUCTORX=1", "MCP_CONDUCTOR_EMPTY="})
	want := map[string]string{"MCP_CONDUCTOR_HOME": "/h", "MCP_CONDUCTOR_TIMEOUT": "5s", "MCP_CONDUCTOR_EMPTY": ""}
	if len(got) != len(want) || got["MCP_CONDUCTOR_HOME"] != "/h" || got["MCP_CONDUCTOR_TIMEOUT"] != "5s" {
		t.Fatalf("%v", got)
	}
}

func TestInstallLauncher(t *testing.T) {
	home := t.TempDir()
	exe := filepath.Join(t.TempDir(), "app")
	os.WriteFile(exe, []byte("v1"), 0o755)
	p, err := InstallLauncher(home, exe)
	if err != nil || p != LauncherPath(home) {
		t.Fatal(p, err)
	}
	fi, _ := os.Lstat(p)
	// Windows has no executable bit: a copy named .exe runs.
	if fi.Mode()&os.ModeSymlink != 0 || runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("launcher mode %v, want an executable copy", fi.Mode())
	}
	before := fi.ModTime()
	time.Sleep(10 * time.Millisecond)
	InstallLauncher(home, exe)
	if fi, _ := os.Stat(p); !fi.ModTime().Equal(before) {
		t.Error("an up-to-date launcher was rewritten")
	}
	os.WriteFile(exe, []byte("v2"), 0o755) // the app was updated
	os.Remove(exe + "-moved")
	if _, err := InstallLauncher(home, exe); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "v2" {
		t.Fatalf("launcher holds %q after an update", b)
	}
	os.Rename(exe, exe+"-moved") // the app was moved: the launcher still runs
	if b, _ := os.ReadFile(p); string(b) != "v2" {
		t.Fatal("launcher lost when the app moved")
	}
	if p2, err := InstallLauncher(home, p); err != nil || p2 != p {
		t.Fatalf("launcher installing itself: %v", err)
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	b := "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n"
	want := "--- f\n+++ f\n@@ -2,9 +2,10 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n 10\n+11\n"
	if got := unifiedDiff("f", a, b); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := unifiedDiff("f", "", "x\n"); got != "--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+x\n" {
		t.Fatalf("new file diff:\n%s", got)
	}
	if unifiedDiff("f", a, a) != "" {
		t.Fatal("diff of equal texts")
	}
	// A file without a final newline says so, as diff(1) and patch(1) do.
	if got := unifiedDiff("f", "x", "y"); got != "--- f\n+++ f\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n" {
		t.Fatalf("no final newline:\n%s", got)
	}
}

func TestFind(t *testing.T) {
	ids := []string{"cursor", "claude-desktop", "vscode", "windsurf", "claude-code", "gemini", "qwen", "codex", "opencode", "zed", "lmstudio", "cline"}
	var got []string
	for _, c := range All() {
		got = append(got, c.ID)
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("All() = %v", got)
	}
	if _, err := Find("emacs"); err == nil || !strings.Contains(err.Error(), "cursor, claude-desktop") {
		t.Fatalf("Find(emacs) = %v", err)
	}
}
