package clients

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// testEntry is what the goldens were written with.
var testEntry = StdioEntry("/home/alice/.mcp-conductor/bin/mcp-conductor",
	map[string]string{"MCP_CONDUCTOR_HOME": "/home/alice/.mcp-conductor"})

// tempHome points HOME and the XDG/Windows folders at a fresh temporary
// folder, so no test touches the real home, and returns options for it.
func tempHome(t *testing.T) Options {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("APPDATA", filepath.Join(home, "AppData", "Roaming"))
	t.Setenv("LOCALAPPDATA", filepath.Join(home, "AppData", "Local"))
	for _, k := range []string{"CODEX_HOME", "CLAUDE_CONFIG_DIR", "FLATPAK_XDG_CONFIG_HOME", "MCP_CONDUCTOR_HOME", "QWEN_HOME",
		"CLINE_DIR", "CLINE_DATA_DIR", "CLINE_MCP_SETTINGS_PATH", "GEMINI_CLI_TRUSTED_FOLDERS_PATH", "GEMINI_CLI_SYSTEM_SETTINGS_PATH", "GEMINI_RESTRICTED_MODE"} {
		t.Setenv(k, "")
	}
	// Gemini runs servers only in trusted folders; the tests of that rule
	// unset this.
	t.Setenv("GEMINI_CLI_TRUST_WORKSPACE", "true")
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	env, err := DefaultEnv()
	if err != nil {
		t.Fatal(err)
	}
	if env.Home != home {
		t.Fatalf("DefaultEnv().Home = %s, want the temporary %s", env.Home, home)
	}
	return Options{Env: env, Home: filepath.Join(home, ".mcp-conductor")}
}

// installed makes c look installed by creating its configuration folder.
func installed(t *testing.T, c Client, opts Options) string {
	t.Helper()
	path, err := c.ConfigPath(opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(path, opts.Env.Home) {
		t.Fatalf("%s config %s is outside the temporary home", c.ID, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if c.ID == "claude-code" { // its file sits in the home folder itself
		os.Mkdir(filepath.Join(opts.Env.Home, ".claude"), 0o755)
	}
	return path
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s", name, unifiedDiff(name, string(want), string(got)))
	}
}

// TestRegisterGolden registers into every client's file in each situation
// and compares the result with testdata/<client>/<case>.golden.
func TestRegisterGolden(t *testing.T) {
	cases := []struct {
		name     string
		in       string // fixture; "" = no file
		readOnly bool
		wantErr  string // substring; the file must then be unchanged
		same     bool   // the file must be unchanged, without error
	}{
		{name: "nofile"},
		{name: "empty", in: "empty.in"},
		{name: "others", in: "others.in"},
		{name: "present", in: "present.in", same: true},
		{name: "drifted", in: "drifted.in"},
		{name: "invalid", in: "invalid.in", wantErr: "fix the file by hand"},
		{name: "readonly", in: "others.in", readOnly: true, wantErr: "read-only"},
	}
	ctx := context.Background()
	for _, c := range All() {
		for _, tc := range cases {
			t.Run(c.ID+"/"+tc.name, func(t *testing.T) {
				opts := tempHome(t)
				path := installed(t, c, opts)
				var before []byte
				if tc.in != "" {
					var err error
					if before, err = os.ReadFile(filepath.Join("testdata", c.ID, tc.in)); err != nil {
						t.Fatal(err)
					}
					mode := os.FileMode(0o640)
					if tc.readOnly {
						mode = 0o440
					}
					if err := os.WriteFile(path, before, mode); err != nil {
						t.Fatal(err)
					}
					os.Chmod(path, mode)
				}
				ch, err := c.Register(ctx, testEntry, opts)
				after, _ := os.ReadFile(path)
				if tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Fatalf("Register error = %v, want one containing %q", err, tc.wantErr)
					}
					if !bytes.Equal(after, before) {
						t.Fatalf("file changed despite the error:\n%s", after)
					}
					if !strings.Contains(err.Error(), path) {
						t.Errorf("error %q does not name the file", err)
					}
					var pe *ParseError
					if tc.name == "invalid" && (!errors.As(err, &pe) || pe.Line < 2 || pe.Column < 1) {
						t.Errorf("error %v has no line and column", err)
					}
					assertNoBackups(t, c, opts)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if tc.same {
					if ch.Written || !bytes.Equal(after, before) {
						t.Fatalf("registering over an equal entry rewrote the file:\n%s", ch.Diff())
					}
					assertNoBackups(t, c, opts)
				} else {
					golden(t, filepath.Join("testdata", c.ID, tc.name+".golden"), after)
				}
				if st := c.Status(testEntry, opts); st.State != Registered {
					t.Errorf("status after register = %v %v %v, want registered", st.State, st.Differs, st.Err)
				}
				// Idempotent: a second run changes nothing and backs nothing up.
				nb := countBackups(t, c, opts)
				ch2, err := c.Register(ctx, testEntry, opts)
				if err != nil || ch2.Written || ch2.Changed() {
					t.Fatalf("second Register: written=%v err=%v\n%s", ch2 != nil && ch2.Written, err, ch2.Diff())
				}
				if countBackups(t, c, opts) != nb {
					t.Error("second Register took a backup")
				}
			})
		}
	}
}

// TestRegisterHTTPGolden writes the HTTP form for every client that has one.
func TestRegisterHTTPGolden(t *testing.T) {
	e := HTTPEntry("http://127.0.0.1:7345/mcp", "s3cret")
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			opts := tempHome(t)
			path := installed(t, c, opts)
			_, err := c.Register(context.Background(), e, opts)
			if !c.HTTP {
				if err == nil || !strings.Contains(err.Error(), "cannot use an HTTP server") {
					t.Fatalf("Register(HTTP) error = %v, want a clear refusal", err)
				}
				if exists(path) {
					t.Fatal("a refused HTTP registration created the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			golden(t, filepath.Join("testdata", c.ID, "http.golden"), got)
			if st := c.Status(e, opts); st.State != Registered {
				t.Errorf("status = %v %v", st.State, st.Differs)
			}
		})
	}
}

// TestUnregisterGolden removes our entry from the registered goldens: what
// remains must be the file as it was before registering.
func TestUnregisterGolden(t *testing.T) {
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			opts := tempHome(t)
			path := installed(t, c, opts)
			orig, err := os.ReadFile(filepath.Join("testdata", c.ID, "others.in"))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(path, orig, 0o600)
			if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
				t.Fatal(err)
			}
			ch, err := c.Unregister(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if !ch.Written || !bytes.Equal(got, orig) {
				t.Errorf("register+unregister did not give back the original:\n%s", unifiedDiff(path, string(orig), string(got)))
			}
			if st := c.Status(testEntry, opts); st.State != Installed {
				t.Errorf("status after unregister = %v, want installed", st.State)
			}
			ch, err = c.Unregister(context.Background(), opts)
			if err != nil || ch.Written {
				t.Errorf("second Unregister: written=%v err=%v", ch != nil && ch.Written, err)
			}
		})
	}
}

func countBackups(t *testing.T, c Client, opts Options) int {
	t.Helper()
	b, err := c.Backups(opts)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func assertNoBackups(t *testing.T, c Client, opts Options) {
	t.Helper()
	if n := countBackups(t, c, opts); n != 0 {
		t.Errorf("%d backups taken, want none", n)
	}
}
