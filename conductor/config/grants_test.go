package config

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The example of the issue: list values holding Deno's separators must
// never become flags of their own.
func TestSettingsValuesNeverAddFlags(t *testing.T) {
	home := t.TempDir()
	for _, tt := range []struct {
		name    string
		perms   Permissions
		wantErr string
		want    []string
	}{
		{name: "comma in a path", perms: Permissions{Read: Grant{List: []string{"/x/data,allow-run"}}}, wantErr: "permissions.read.list[0]"},
		{name: "semicolon in a host", perms: Permissions{Net: Grant{List: []string{"a.invalid;allow-write"}}}, wantErr: "permissions.net.list[0]"},
		{name: "flag as a host", perms: Permissions{Net: Grant{List: []string{"--allow-all"}}}, wantErr: "permissions.net.list[0]"},
		{name: "equals in env", perms: Permissions{Env: Grant{List: []string{"A=B"}}}, wantErr: "permissions.env.list[0]"},
		{name: "newline in a path", perms: Permissions{Write: Grant{List: []string{"/a\n--allow-run"}}}, wantErr: "control character"},
		{name: "semicolon in a path is literal", perms: Permissions{Read: Grant{List: []string{rooted("/x/a;allow-run")}}},
			want: []string{"--allow-read=" + rooted("/x/a;allow-run")}},
		{name: "flag-looking path is literal", perms: Permissions{Read: Grant{List: []string{rooted("/x/--allow-all")}}},
			want: []string{"--allow-read=" + rooted("/x/--allow-all")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := build(home, Settings{Permissions: tt.perms}, func(string) string { return "" })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), SettingsPath(home)) {
					t.Fatalf("err = %v, want one naming %s in %s", err, tt.wantErr, SettingsPath(home))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Grants.DenoFlags(); !slices.Equal(got, tt.want) {
				t.Errorf("flags = %q, want %q", got, tt.want)
			}
		})
	}
}

// denoSplit reads a permission flag the way Deno does: the name, and the
// value list split at every comma.
func denoSplit(arg string) (name string, values []string) {
	name, val, has := strings.Cut(strings.TrimPrefix(arg, "--"), "=")
	if has {
		values = strings.Split(val, ",")
	}
	return name, values
}

// FuzzSettingsGrants: whatever the settings file holds, the flags Deno
// reads back name only permissions the settings named, with exactly the
// values the settings gave (after making paths absolute).
func FuzzSettingsGrants(f *testing.F) {
	for _, seed := range [][2]string{{"/x/data,allow-run", "a.invalid;allow-write"}, {"rel", "h:80"}, {"--allow-all", "[::1]:8080"}, {"~", "*.example.com"}} {
		f.Add(seed[0], seed[1], "HOME", true)
	}
	home := f.TempDir()
	f.Fuzz(func(t *testing.T, path, host, envName string, all bool) {
		s := Settings{Permissions: Permissions{
			Read:  Grant{List: []string{path}},
			Write: Grant{List: []string{path, "/fixed"}},
			Net:   Grant{List: []string{host}},
			Env:   Grant{List: []string{envName}, All: all},
		}}
		p, err := build(home, s, func(string) string { return "" })
		if err != nil {
			return // refused with an error: nothing is granted
		}
		named := map[string]bool{"allow-read": true, "allow-write": true, "allow-net": true, "allow-env": true}
		for _, arg := range p.Grants.DenoFlags() {
			name, values := denoSplit(arg)
			if !named[name] {
				t.Fatalf("settings %+v produced flag %q", s.Permissions, arg)
			}
			for _, v := range values {
				if v == "" {
					t.Fatalf("empty value in %q", arg)
				}
			}
			switch name {
			case "allow-net":
				if len(values) != 1 || values[0] != host {
					t.Fatalf("host %q came back as %q", host, values)
				}
			case "allow-read":
				abs, _ := absPath(path, p.Workspace)
				if values[0] != abs {
					t.Fatalf("path %q came back as %q", path, values)
				}
			case "allow-env":
				if all && values != nil || !all && (len(values) != 1 || values[0] != envName) {
					t.Fatalf("env %q (all %v) came back as %q", envName, all, values)
				}
			}
		}
	})
}

func TestGrantInsideProtectedIsRefused(t *testing.T) {
	home := filepath.Join(t.TempDir(), ".mcp-conductor")
	if err := os.MkdirAll(filepath.Join(home, "logs"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ args, want string }{
		{"allow-read=" + filepath.Join(home, "logs"), "the audit log folder"},
		{"allow-write=" + filepath.Join(home, "cache", "deno"), "the package cache"},
		{"allow-read=" + filepath.Join(home, "mcp-config.json"), "the MCP servers file"},
	} {
		_, err := Load(env(map[string]string{EnvHome: home, EnvRunArgs: tt.args}))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), EnvRunArgs) {
			t.Errorf("%s: err = %v, want one naming %s", tt.args, err, tt.want)
		}
	}
	// Reading the cache is fine; a grant that holds the home is carved, not refused.
	for _, ok := range []string{"allow-read=" + filepath.Join(home, "cache"), "allow-write=" + filepath.Dir(home)} {
		if _, err := Load(env(map[string]string{EnvHome: home, EnvRunArgs: ok})); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	// A workspace inside a protected folder is refused too.
	if _, err := Load(env(map[string]string{EnvHome: home, EnvWorkspace: filepath.Join(home, "logs", "ws")})); err == nil || !strings.Contains(err.Error(), "workspace") {
		t.Errorf("workspace inside logs: %v", err)
	}
}

// A grant spelled through a link is known by its real name too, so both
// layers see it; so is a protected file reached through a link.
func TestGrantsCarryTheirResolvedNames(t *testing.T) {
	root, _ := filepath.EvalSymlinks(t.TempDir())
	real := filepath.Join(root, "data")
	if err := os.MkdirAll(filepath.Join(real, "me"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "me"), filepath.Join(root, "home-me")); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(root, "home-me", ".mcp-conductor")
	p, err := Load(env(map[string]string{EnvHome: home, EnvRunArgs: "allow-read=" + filepath.Join(root, "home-me", "docs")}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, "home-me", "docs"), filepath.Join(real, "me", "docs")}
	if got := p.Grants.Allow.Read.List; !slices.Equal(got, want) {
		t.Errorf("read grant = %v, want %v", got, want)
	}
	var cfg Protected
	for _, x := range p.Protected() {
		if x.What == "the MCP servers file" {
			cfg = x
		}
	}
	if a := cfg.Aliases(); len(a) != 2 || a[1] != filepath.Join(real, "me", ".mcp-conductor", "mcp-config.json") {
		t.Errorf("MCP servers file aliases = %v", a)
	}
}

// rooted is the absolute path p (written with slashes) on this system: on
// Windows on drive C:, since "/x" is relative to the current drive there.
func rooted(p string) string {
	if runtime.GOOS == "windows" {
		return `C:` + filepath.FromSlash(p)
	}
	return p
}

// rootedAll makes every absolute path in a flag or list (after "=" or
// ",", or at the start) rooted on this system (see rooted).
func rootedAll(s string) string {
	if runtime.GOOS != "windows" {
		return s
	}
	return strings.ReplaceAll(regexp.MustCompile(`(^|[=,])/`).ReplaceAllString(s, "${1}C:/"), "/", `\`)
}
