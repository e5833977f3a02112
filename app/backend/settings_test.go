package backend

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func TestSettings(t *testing.T) {
	f := withDeno(t, config.EnvMaxMemoryMB+"=300")
	data := filepath.Join(f.user, "data")
	os.MkdirAll(data, 0o700)

	v, err := f.b.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if v.Path != config.SettingsPath(f.home) || v.Overrides["maxMemoryMB"] != config.EnvMaxMemoryMB || v.Effective.MaxMemoryMB != 300 {
		t.Fatalf("Settings() = %+v", v)
	}
	if _, ok := v.Overrides["permissions"]; ok {
		t.Errorf("permissions reported as overridden: %v", v.Overrides)
	}

	tests := []struct {
		name    string
		edit    func(s *config.Settings)
		wantErr string
		check   func(t *testing.T, v SettingsView)
	}{
		{name: "grant read on a folder, lists cleaned",
			edit: func(s *config.Settings) {
				s.Permissions.Read = config.Grant{List: []string{" " + data, data, ""}}
				s.Permissions.Net = config.Grant{All: true, List: []string{"ignored.example"}}
			},
			check: func(t *testing.T, v SettingsView) {
				if !reflect.DeepEqual(v.Settings.Permissions.Read.List, []string{data}) || v.Settings.Permissions.Net.List != nil {
					t.Errorf("permissions saved as %+v", v.Settings.Permissions)
				}
				want := []string{"--allow-read=" + data, "--allow-net"}
				if !reflect.DeepEqual(v.Effective.Flags, want) {
					t.Errorf("flags in force %v, want %v", v.Effective.Flags, want)
				}
			}},
		{name: "an overridden field keeps the file's value",
			edit: func(s *config.Settings) { s.MaxMemoryMB = 1000; s.MaxOutputBytes = 4096 },
			check: func(t *testing.T, v SettingsView) {
				if v.Settings.MaxMemoryMB != 0 || v.Effective.MaxMemoryMB != 300 || v.Settings.MaxOutputBytes != 4096 || v.Effective.MaxOutputBytes != 4096 {
					t.Errorf("memory %d/%d output %d/%d", v.Settings.MaxMemoryMB, v.Effective.MaxMemoryMB, v.Settings.MaxOutputBytes, v.Effective.MaxOutputBytes)
				}
			}},
		{name: "packages with versions",
			edit: func(s *config.Settings) { s.AllowedPackages = []string{"npm:left-pad@^1", " jsr:@std/path@^1 "} },
			check: func(t *testing.T, v SettingsView) {
				if !reflect.DeepEqual(v.Effective.Packages, []string{"jsr:@std/path@^1", "npm:left-pad@^1"}) {
					t.Errorf("packages %v", v.Effective.Packages)
				}
			}},
		{name: "package without a version", edit: func(s *config.Settings) { s.AllowedPackages = []string{"npm:left-pad"} }, wantErr: "pin a version"},
		{name: "negative limit", edit: func(s *config.Settings) { s.DefaultTimeoutMs = -5 }, wantErr: "default timeout: -5 is negative"},
		{name: "timeouts out of order", edit: func(s *config.Settings) { s.DefaultTimeoutMs, s.MaxTimeoutMs = 5000, 1000 }, wantErr: "above"},
		{name: "port below 1024", edit: func(s *config.Settings) { s.HTTP.Port = 80 }, wantErr: "port 80"},
		{name: "pool size out of range", edit: func(s *config.Settings) { s.PoolSize = ptr(99) }, wantErr: "poolSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur, err := f.b.Settings()
			if err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(cur.Path)
			s := cur.Settings
			tt.edit(&s)
			v, err := f.b.SaveSettings(t.Context(), s)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if after, _ := os.ReadFile(cur.Path); string(after) != string(before) {
					t.Errorf("a refused save changed the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, v)
		})
	}
}

// TestPermissionReachesTheNextRun is what the Permissions page is for: a
// read grant saved there is used by the very next execution.
func TestPermissionReachesTheNextRun(t *testing.T) {
	f := withDeno(t)
	dir := filepath.Join(f.user, "shared")
	os.MkdirAll(dir, 0o700)
	file := filepath.Join(dir, "note.txt")
	os.WriteFile(file, []byte("hello from the folder"), 0o600)
	code := `Deno.readTextFileSync(` + "`" + file + "`" + `)`

	res, err := f.run(RunRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "error" || res.Error == nil || res.Error.Type != "permission" {
		t.Fatalf("before the grant: %+v", res)
	}
	v, _ := f.b.Settings()
	s := v.Settings
	s.Permissions.Read = config.Grant{List: []string{dir}}
	if _, err := f.b.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	res, err = f.run(RunRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "success" || res.ReturnValue != "hello from the folder" {
		t.Fatalf("after the grant: %+v (%+v)", res, res.Error)
	}
}

// TestCheckPackage: the page refuses a package chip when it is added, with
// Save's own words.
func TestCheckPackage(t *testing.T) {
	for spec, want := range map[string]string{
		"npm:zod@^3": "", "jsr:@std/path@^1": "",
		"zod":             "pin a version",
		"npm:zod":         "pin a version",
		"https://x.dev/m": "only npm: and jsr:",
		"npm:a@1 npm:b@2": "one package per entry",
		"":                "type a package",
	} {
		err := CheckPackage(spec)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckPackage(%q) = %v, want %q", spec, err, want)
		}
	}
}

// The window's settings pages do not edit the skills settings: a save from
// them keeps the file's (approval of saves stays on).
func TestSaveKeepsSkillSettings(t *testing.T) {
	cur := config.Settings{Skills: config.SkillSettings{RequireApproval: true}}
	next, err := mergeSettings(cur, config.Settings{MaxMemoryMB: 256}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !next.Skills.RequireApproval || next.MaxMemoryMB != 256 {
		t.Errorf("merged %+v", next)
	}
}
