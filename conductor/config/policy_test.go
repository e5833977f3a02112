package config

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseRunArgs(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "", want: nil},
		{in: "allow-read=/a;allow-write=/a", want: []string{"--allow-read=/a", "--allow-write=/a"}},
		{in: "allow-read=/a,allow-write=/a", want: []string{"--allow-read=/a", "--allow-write=/a"}},
		{in: "allow-net=a.com,b.com", want: []string{"--allow-net=a.com,b.com"}},
		{in: "allow-net=a.com,b.com,allow-env=HOME", want: []string{"--allow-net=a.com,b.com", "--allow-env=HOME"}},
		{in: "--allow-net; allow-read=/x,/y", want: []string{"--allow-read=/x,/y", "--allow-net"}},
		{in: "allow-read=rel", want: []string{"--allow-read=/ws/rel"}},
		{in: "A", want: []string{"--allow-all"}},
		{in: "allow-everything", wantErr: "unknown permission flag"},
		{in: "--inspect", wantErr: "unknown permission flag"},
		{in: "allow-net,b.com", wantErr: "takes no list"},
		{in: "allow-read=", wantErr: "empty list"},
		{in: "allow-read=/a;deny-read=/a/secret", want: []string{"--allow-read=/a", "--deny-read=/a/secret"}},
		{in: "allow-read=/a;allow-read=/b", want: []string{"--allow-read=/a,/b"}},
		{in: "allow-net=a.invalid;allow-write", want: []string{"--allow-write", "--allow-net=a.invalid"}},
		{in: "allow-net=exa mple.com", wantErr: "not a host"},
		{in: "allow-env=HOME=1", wantErr: "not a variable name"},
		{in: "allow-sys=everything", wantErr: "system APIs"},
	}
	for _, tt := range tests {
		tt.in = rootedAll(tt.in)
		for i := range tt.want {
			tt.want[i] = rootedAll(tt.want[i])
		}
		g, err := ParseRunArgs(tt.in, rooted("/ws"))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseRunArgs(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		got := g.DenoFlags()
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRunArgs(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadDefaults(t *testing.T) {
	p, err := Load(env(map[string]string{EnvHome: rooted("/h")}))
	if err != nil {
		t.Fatal(err)
	}
	if p.Workspace != rooted("/h/workspace") || p.MCPConfig != rooted("/h/mcp-config.json") || !p.Grants.IsZero() ||
		p.DefaultTimeout != 30*time.Second || p.MaxTimeout != 300*time.Second || p.MaxMemoryMB != 512 ||
		p.MaxOutputBytes != 1<<20 || p.Confinement != ConfineAuto || len(p.Packages.Entries()) != 0 {
		t.Errorf("defaults = %+v", p)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
	}{
		{EnvRunArgs, map[string]string{EnvRunArgs: "allow-all"}},
		{EnvRunArgs, map[string]string{EnvRunArgs: "bogus"}},
		{EnvDefaultTimeout, map[string]string{EnvDefaultTimeout: "abc"}},
		{EnvDefaultTimeout, map[string]string{EnvDefaultTimeout: "0"}},
		{EnvMaxTimeout, map[string]string{EnvMaxTimeout: "-5"}},
		{EnvDefaultTimeout, map[string]string{EnvDefaultTimeout: "9000", EnvMaxTimeout: "1000"}},
		{EnvAllowedPackages, map[string]string{EnvAllowedPackages: "npm:axios"}},
		{EnvMaxMemoryMB, map[string]string{EnvMaxMemoryMB: "lots"}},
		{EnvMaxOutputBytes, map[string]string{EnvMaxOutputBytes: "1"}},
		{EnvMaxConcurrency, map[string]string{EnvMaxConcurrency: "0"}},
		{EnvConfinement, map[string]string{EnvConfinement: "maybe"}},
		{EnvAllowAll, map[string]string{EnvAllowAll: "perhaps"}},
	} {
		tt.env[EnvHome] = "/h"
		_, err := Load(env(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("Load(%v) error = %v, want one naming %s", tt.env, err, tt.name)
		}
	}
	p, err := Load(env(map[string]string{EnvHome: "/h", EnvRunArgs: "allow-all", EnvAllowAll: "1"}))
	if err != nil || !p.Grants.All {
		t.Errorf("allow-all with %s=1: %v", EnvAllowAll, err)
	}
}

func TestProtectedPaths(t *testing.T) {
	home := t.TempDir()
	p, err := Load(env(map[string]string{EnvHome: home, EnvDeno: rooted("/opt/deno/deno")}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range p.Protected() {
		got = append(got, x.Path)
		if x.Path == filepath.Join(home, "cache") && x.Access != NoWrite {
			t.Errorf("the package cache must stay readable: %+v", x)
		}
	}
	for _, want := range []string{filepath.Join(home, "mcp-config.json"), filepath.Join(home, "settings.json"), filepath.Join(home, "logs"), rooted("/opt/deno/deno")} {
		if !contains(got, want) {
			t.Errorf("Protected() = %v, missing %s", got, want)
		}
	}
	if contains(got, p.Workspace) || contains(got, home) {
		t.Errorf("Protected() = %v must not cover the workspace", got)
	}
	p.Workspace = rooted("/elsewhere")
	got = nil
	for _, x := range p.Protected() {
		got = append(got, x.Path)
	}
	if !contains(got, home) {
		t.Errorf("with the workspace outside, the whole home is protected: %v", got)
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func TestSettingsFileAndEnvOverride(t *testing.T) {
	home := t.TempDir()
	pool := 0
	s := Settings{
		Workspace:       filepath.Join(home, "ws"),
		Permissions:     Permissions{Read: Grant{List: []string{rooted("/data")}}, Net: Grant{List: []string{"api.example.com", "x.org"}}, Env: Grant{All: true}},
		AllowedPackages: []string{"npm:axios@^1"},
		MaxMemoryMB:     256,
		PoolSize:        &pool,
		HTTP:            HTTPSettings{Port: 5555},
	}
	if err := WriteSettings(home, s); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(SettingsPath(home))
	// Windows has no mode bits: there the file is owner-only by its access
	// list (fsx.TestSecretsArePrivate).
	if err != nil || runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("settings file: %v %v", err, st)
	}
	p, err := Load(env(map[string]string{EnvHome: home}))
	if err != nil {
		t.Fatal(err)
	}
	args := p.Grants.DenoFlags()
	if strings.Join(args, " ") != "--allow-read="+rooted("/data")+" --allow-net=api.example.com,x.org --allow-env" || p.MaxMemoryMB != 256 ||
		p.PoolSize != 0 || p.Workspace != s.Workspace || p.Packages.String() != "npm:axios@^1" || p.HTTPPort != 5555 || len(p.FromEnv) != 1 {
		t.Errorf("from the file: %+v / %v", p, args)
	}
	// The environment wins, field by field, and says so.
	p, err = Load(env(map[string]string{EnvHome: home, EnvMaxMemoryMB: "128", EnvRunArgs: ""}))
	if err != nil || p.MaxMemoryMB != 128 || len(p.Grants.DenoFlags()) != 3 || !contains(p.FromEnv, EnvMaxMemoryMB) {
		t.Errorf("env override: %v %+v", err, p)
	}
	// A second write keeps the previous file as a backup.
	s.MaxMemoryMB = 300
	if err := WriteSettings(home, s); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(SettingsPath(home) + ".bak"); !strings.Contains(string(b), `"maxMemoryMB": 256`) {
		t.Errorf("backup: %s", b)
	}
	// Invalid values are refused and nothing is written.
	bad := s
	bad.AllowedPackages = []string{"npm:axios"}
	if err := WriteSettings(home, bad); err == nil || !strings.Contains(err.Error(), "allowedPackages") {
		t.Errorf("bad settings accepted: %v", err)
	}
	if b, _ := os.ReadFile(SettingsPath(home)); !strings.Contains(string(b), `"maxMemoryMB": 300`) {
		t.Errorf("file changed by a refused write: %s", b)
	}
}

func TestCorruptSettingsFile(t *testing.T) {
	home := t.TempDir()
	corrupt := "{\n  \"maxMemoryMB\": 256,\n  \"permissions\": {\n    \"read\": {\"all\": tru}\n  }\n}\n"
	if err := os.WriteFile(SettingsPath(home), []byte(corrupt), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(env(map[string]string{EnvHome: home}))
	if err == nil || !strings.Contains(err.Error(), SettingsPath(home)+": line 4, column") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(SettingsPath(home)); string(b) != corrupt {
		t.Error("corrupt file was changed")
	}
	os.WriteFile(SettingsPath(home), []byte(`{"maxMemoryMB": "lots"}`), 0o600)
	if _, err := Load(env(map[string]string{EnvHome: home})); err == nil || !strings.Contains(err.Error(), "maxMemoryMB") {
		t.Fatalf("err = %v", err)
	}
}

func TestPythonSettings(t *testing.T) {
	for _, c := range []struct {
		env     map[string]string
		want    string // PythonPackages, joined
		wantErr string
	}{
		{env: map[string]string{EnvPythonPackages: "Six==1.17.0, numpy,My_Pkg.x==2.0rc1"}, want: "six==1.17.0 numpy my-pkg-x==2.0rc1"},
		{env: map[string]string{EnvPythonPackages: "six>=1"}, wantErr: "not a Python package name"},
		{env: map[string]string{EnvPythonPackages: "six==>1"}, wantErr: "not an exact version"},
		{env: map[string]string{EnvPythonPackages: "https://evil/x.whl"}, wantErr: "not a Python package name"},
		{env: map[string]string{EnvPythonPackages: "six,Six"}, wantErr: "listed twice"},
		{env: map[string]string{EnvPythonIndex: "file:///etc"}, wantErr: "not an http(s) URL"},
		{env: map[string]string{EnvPython: "maybe"}, wantErr: EnvPython},
		{env: map[string]string{EnvPythonPoolSize: "99"}, wantErr: EnvPythonPoolSize},
	} {
		home := t.TempDir()
		p, err := Load(func(k string) string {
			if k == EnvHome {
				return home
			}
			return c.env[k]
		})
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%v: error %v, want %q", c.env, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", c.env, err)
		}
		var got []string
		for _, x := range p.PythonPackages {
			got = append(got, x.String())
		}
		if strings.Join(got, " ") != c.want || !p.Python || p.PythonPoolSize != DefaultPythonPoolSize || p.Pyodide != PyodideDir(home) {
			t.Errorf("%v: %+v", c.env, got)
		}
	}
}

// The skills settings: saving is on and asks no one by default; each
// switch is read from the file, and a bad value names the field (a value
// that does not parse, its line and column).
func TestSkillSettings(t *testing.T) {
	for _, c := range []struct {
		file             string
		saving, approval bool
		wantErr          string
	}{
		{file: `{}`, saving: true},
		{file: `{"skills": {}}`, saving: true},
		{file: `{"skills": {"requireApproval": true}}`, saving: true, approval: true},
		{file: `{"skills": {"disableSaving": true}}`},
		{file: `{"skills": {"requireApproval": "yes"}}`, wantErr: "skills.requireApproval"},
		{file: "{\n  \"skills\": {\n    \"requireApproval\": tru\n  }\n}", wantErr: "line 3, column"},
		{file: `{"skills": {"requireApprovals": true}}`, wantErr: `unknown field "requireApprovals"`},
	} {
		home := t.TempDir()
		if err := os.WriteFile(SettingsPath(home), []byte(c.file), 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := Load(env(map[string]string{EnvHome: home}))
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), SettingsPath(home)) {
				t.Errorf("%s: error %v, want %q", c.file, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if p.SkillSaving != c.saving || p.SkillApproval != c.approval {
			t.Errorf("%s: saving %v, approval %v; want %v, %v", c.file, p.SkillSaving, p.SkillApproval, c.saving, c.approval)
		}
	}
}
