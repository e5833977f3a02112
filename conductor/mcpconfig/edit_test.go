package mcpconfig

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

const commented = `{
  // servers the sandbox may call
  "mcpServers": {
    "everything": {
      "command": "node", // the test server
      "args": ["dist/index.js", "stdio"],
      "env": {"TOKEN": "s3cret"},
      "autoApprove": ["echo"]
    },
    "remote": {"url": "https://example.com/mcp", "disabled": true}
  },
  "owner": "ops"
}
`

func TestEdits(t *testing.T) {
	tests := []struct {
		name    string
		start   string // "" = no file
		edit    func(path string) error
		wantErr string
		// want are substrings of the result; gone must have disappeared.
		want, gone []string
		servers    []string // names after the edit
	}{
		{
			name: "add to a missing file",
			edit: func(p string) error {
				return SetServer(p, "", Server{Name: "a", Command: "x", Args: []string{"1"}}, EditOptions{})
			},
			want:    []string{"{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"x\",\n      \"args\":    [\"1\"]\n    }\n  }\n}\n"},
			servers: []string{"a"},
		},
		{
			name:  "add keeps comments and unknown fields",
			start: commented,
			edit: func(p string) error {
				return SetServer(p, "", Server{Name: "new", URL: "http://127.0.0.1:9/mcp"}, EditOptions{})
			},
			want:    []string{"// servers the sandbox may call", "// the test server", `"autoApprove": ["echo"]`, "\"owner\": \"ops\"\n}", "\"new\": {\n      \"url\": \"http://127.0.0.1:9/mcp\"\n    }\n"},
			servers: []string{"everything", "new", "remote"},
		},
		{
			name:  "edit in place keeps unknown keys and drops emptied fields",
			start: commented,
			edit: func(p string) error {
				return SetServer(p, "everything", Server{Name: "everything", Command: "node", Args: []string{"other.js"}, Description: "demo"}, EditOptions{})
			},
			want:    []string{`"autoApprove": ["echo"]`, `"args":        ["other.js"]`, `"description": "demo"`, "// the test server"},
			gone:    []string{"s3cret", "dist/index.js"},
			servers: []string{"everything", "remote"},
		},
		{
			name:  "rename moves the entry",
			start: commented,
			edit: func(p string) error {
				return SetServer(p, "remote", Server{Name: "far", URL: "https://example.com/mcp", Disabled: true}, EditOptions{})
			},
			want:    []string{`"far": {`},
			gone:    []string{`"remote"`},
			servers: []string{"everything", "far"},
		},
		{
			name:  "rename onto an existing name",
			start: commented,
			edit: func(p string) error {
				return SetServer(p, "remote", Server{Name: "everything", URL: "https://x"}, EditOptions{})
			},
			wantErr: `a server named "everything" already exists`,
		},
		{
			name:  "add a duplicate",
			start: commented,
			edit: func(p string) error {
				return SetServer(p, "", Server{Name: "remote", URL: "https://x"}, EditOptions{})
			},
			wantErr: `a server named "remote" already exists`,
		},
		{
			name:  "invalid entry",
			start: commented,
			edit: func(p string) error {
				return SetServer(p, "", Server{Name: "both", URL: "https://x", Command: "y"}, EditOptions{})
			},
			wantErr: `has both "command" and "url"`,
		},
		{
			name:    "bad name",
			start:   commented,
			edit:    func(p string) error { return SetServer(p, "", Server{Name: "a/b", Command: "y"}, EditOptions{}) },
			wantErr: "names use letters",
		},
		{
			name:    "remove",
			start:   commented,
			edit:    func(p string) error { return RemoveServer(p, "everything", EditOptions{}) },
			gone:    []string{"everything", "autoApprove"},
			want:    []string{`"owner": "ops"`, "// servers the sandbox may call"},
			servers: []string{"remote"},
		},
		{
			name:    "remove a missing one",
			start:   commented,
			edit:    func(p string) error { return RemoveServer(p, "nope", EditOptions{}) },
			wantErr: `no server named "nope"`,
		},
		{
			name:    "disable",
			start:   commented,
			edit:    func(p string) error { return SetDisabled(p, "everything", true, EditOptions{}) },
			want:    []string{`"disabled":    true`},
			servers: []string{"everything", "remote"},
		},
		{
			name:    "enable",
			start:   commented,
			edit:    func(p string) error { return SetDisabled(p, "remote", false, EditOptions{}) },
			want:    []string{`"remote": {"url": "https://example.com/mcp"}`},
			servers: []string{"everything", "remote"},
		},
		{
			name:    "a file without mcpServers gets it",
			start:   "{\n\t\"owner\": \"ops\"\n}\n",
			edit:    func(p string) error { return SetServer(p, "", Server{Name: "a", Command: "x"}, EditOptions{}) },
			want:    []string{"\t\"owner\": \"ops\",\n\t\"mcpServers\": {\"a\": {\n\t\t\"command\": \"x\"\n\t}}\n}"},
			servers: []string{"a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "mcp-config.json")
			if tt.start != "" {
				if err := os.WriteFile(path, []byte(tt.start), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			b, ok := checkEdit(t, path, tt.start, tt.edit(path), tt.wantErr, tt.want, tt.gone)
			if !ok {
				return
			}
			f, err := ReadFile(path)
			if err != nil {
				t.Fatalf("the result does not read back: %v\n%s", err, b)
			}
			var names []string
			for _, s := range f.Servers {
				names = append(names, s.Name)
			}
			if !reflect.DeepEqual(names, tt.servers) {
				t.Errorf("servers = %v, want %v", names, tt.servers)
			}
			fi, _ := os.Stat(path)
			wantMode := os.FileMode(0o600)
			if tt.start != "" {
				wantMode = 0o640
			}
			if runtime.GOOS != "windows" && fi.Mode().Perm() != wantMode { // no mode bits there
				t.Errorf("mode = %v, want %v", fi.Mode().Perm(), wantMode)
			}
			backups, _ := filepath.Glob(filepath.Join(dir, "backups", "*_mcp-config.json"))
			if tt.start != "" && len(backups) != 1 {
				t.Errorf("backups = %v, want one", backups)
			}
			if len(backups) == 1 {
				if old, _ := os.ReadFile(backups[0]); string(old) != tt.start {
					t.Errorf("backup holds %q", old)
				}
			}
		})
	}
}

func TestInvalidFileIsNeverWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mcp-config.json")
	bad := "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\" \"args\": []}\n  }\n}\n"
	os.WriteFile(path, []byte(bad), 0o600)
	for name, edit := range map[string]func() error{
		"set":     func() error { return SetServer(path, "", Server{Name: "b", Command: "y"}, EditOptions{}) },
		"remove":  func() error { return RemoveServer(path, "a", EditOptions{}) },
		"disable": func() error { return SetDisabled(path, "a", true, EditOptions{}) },
		"read":    func() error { _, err := ReadFile(path); return err },
	} {
		err := edit()
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "line 3, column") {
			t.Errorf("%s: err = %v, want a Error with line and column", name, err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != bad {
		t.Errorf("the invalid file was changed:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "backups")); !os.IsNotExist(err) {
		t.Errorf("a backup was made of a file that was not written")
	}
}

func TestReadFileKeepsRawValuesAndBadEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mcp-config.json")
	os.WriteFile(path, []byte(`{"mcpServers": {
		"gh": {"url": "https://x/mcp", "headers": {"Authorization": "Bearer ${env:GH_TOKEN}"}},
		"typo": {"command": "x", "argz": ["1"]}
	}}`), 0o600)
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gh, ok := f.Server("gh")
	if !ok || gh.Err != nil || gh.Headers["Authorization"] != "Bearer ${env:GH_TOKEN}" {
		t.Errorf("gh = %+v (placeholders must stay as written)", gh)
	}
	typo, ok := f.Server("typo")
	if !ok || typo.Err == nil || typo.Command != "x" {
		t.Errorf("typo = %+v, want its command and an error", typo)
	}
	if _, ok := f.Server("nope"); ok {
		t.Error("found a server that does not exist")
	}
}

func TestBackupsArePruned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mcp-config.json")
	backups := filepath.Join(dir, "keep")
	for i := 0; i < keepBackups+5; i++ {
		if err := SetDisabled(path, "a", i%2 == 0, EditOptions{BackupDir: backups}); i > 0 && err != nil {
			t.Fatal(err)
		} else if i == 0 {
			if err := SetServer(path, "", Server{Name: "a", Command: "x"}, EditOptions{BackupDir: backups}); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, _ := filepath.Glob(filepath.Join(backups, "*_mcp-config.json"))
	if len(got) != keepBackups {
		t.Errorf("%d backups kept, want %d", len(got), keepBackups)
	}
}

// checkEdit judges an edit of the file at path that began as start and
// returned err: with wantErr, it must have failed so and left the file as
// it was (ok false: nothing more to check); otherwise the file must hold
// every want and none of gone, and is returned.
func checkEdit(t *testing.T, path, start string, err error, wantErr string, want, gone []string) (b []byte, ok bool) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("err = %v, want %q", err, wantErr)
		}
		if b, _ := os.ReadFile(path); string(b) != start {
			t.Errorf("a refused edit changed the file:\n%s", b)
		}
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	for _, w := range want {
		if !strings.Contains(string(b), w) {
			t.Errorf("missing %q in:\n%s", w, b)
		}
	}
	for _, g := range gone {
		if strings.Contains(string(b), g) {
			t.Errorf("%q is still in:\n%s", g, b)
		}
	}
	return b, true
}
