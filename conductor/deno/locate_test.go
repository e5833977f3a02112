package deno

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func emptyEnv(string) string { return "" }

// script writes an executable shell script named deno into a new folder.
// It stands in for Deno builds that cannot run here (too old, hanging).
func script(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "deno")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// linked puts a link to the real deno into a new folder.
func linked(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Symlink(realDeno(t), filepath.Join(dir, "deno")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLocate(t *testing.T) {
	ctx := context.Background()
	deno := realDeno(t)
	old := script(t, `echo "deno 1.46.3 (stable, release, x86_64-unknown-linux-gnu)"`)
	notDeno := script(t, `echo "node v22"`)
	uh := t.TempDir()
	os.MkdirAll(filepath.Join(uh, ".deno", "bin"), 0o755)
	os.Symlink(deno, filepath.Join(uh, ".deno", "bin", "deno"))

	// A login shell whose profile puts deno on PATH, as a terminal would see it.
	shellHome := t.TempDir()
	os.WriteFile(filepath.Join(shellHome, ".profile"), []byte("PATH=\""+linked(t)+":$PATH\"\nexport PATH\n"), 0o644)

	cases := []struct {
		name       string
		env        map[string]string
		wantSource string
		wantErr    string
	}{
		{"login shell PATH", map[string]string{"HOME": shellHome, "SHELL": "/bin/sh", "PATH": "/nonexistent"}, "login shell PATH", ""},
		{"admin choice", map[string]string{EnvDeno: deno, "HOME": uh}, EnvDeno, ""},
		{"admin choice broken: no fallback", map[string]string{EnvDeno: old, "HOME": uh}, "", "older than 2.0.0; fix or unset it"},
		{"~/.deno/bin", map[string]string{"HOME": uh, "PATH": filepath.Dir(old)}, "~/.deno/bin", ""},
		{"PATH skips old and foreign", map[string]string{"HOME": t.TempDir(), "PATH": filepath.Dir(old) + ":" + filepath.Dir(notDeno) + ":relative:" + linked(t)}, "PATH", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := Locate(ctx, LocateOptions{Home: t.TempDir(), Getenv: func(k string) string { return tc.env[k] }})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantSource != "" && rt.Source != tc.wantSource || !filepath.IsAbs(rt.Path) || !strings.HasPrefix(rt.Version, "2.") {
				t.Fatalf("found %+v, want source %q", rt, tc.wantSource)
			}
		})
	}
}

func TestLocateDENOINSTALL(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "bin"), 0o755)
	os.Symlink(realDeno(t), filepath.Join(root, "bin", "deno"))
	rt, err := Locate(context.Background(), LocateOptions{Home: t.TempDir(), Getenv: func(k string) string {
		return map[string]string{"DENO_INSTALL": root}[k]
	}})
	if err != nil || rt.Source != "$DENO_INSTALL/bin" {
		t.Fatalf("%+v %v", rt, err)
	}
}

func TestLocateNotFound(t *testing.T) {
	old := script(t, `echo "deno 1.46.3"`)
	hang := script(t, `sleep 10`)
	start := time.Now()
	_, err := Locate(context.Background(), LocateOptions{
		Home:       t.TempDir(),
		MinVersion: "99.0.0", // whatever this machine has is too old
		Timeout:    300 * time.Millisecond,
		Getenv: func(k string) string {
			return map[string]string{"HOME": t.TempDir(), "PATH": filepath.Dir(old) + ":" + filepath.Dir(hang)}[k]
		},
	})
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want *NotFoundError", err)
	}
	msg := err.Error()
	for _, want := range []string{"deno 99.0.0 or newer not found", old + " (PATH) is unusable: version 1.46.3 is older than 99.0.0", "did not answer within 300ms", "looked in ~/.deno/bin, /usr/local/bin", "run `mcp-conductor deno install`"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("Locate took %v: the hanging candidate was not cut short", time.Since(start))
	}
}

func TestLocatePrefersCurrentInstall(t *testing.T) {
	deno := realDeno(t)
	home := t.TempDir()
	for _, v := range []string{"2.1.0", "2.5.0"} {
		os.MkdirAll(filepath.Join(home, "runtime", v), 0o755)
		os.Symlink(deno, filepath.Join(home, "runtime", v, "deno"))
	}
	env := func(string) string { return "" }
	rt, err := Locate(context.Background(), LocateOptions{Home: home, Getenv: env})
	if err != nil || filepath.Base(filepath.Dir(rt.Path)) != "2.5.0" {
		t.Fatalf("without current: %+v %v, want the newest", rt, err)
	}
	writeState(home, "current", "2.1.0")
	rt, err = Locate(context.Background(), LocateOptions{Home: home, Getenv: env})
	if err != nil || filepath.Base(filepath.Dir(rt.Path)) != "2.1.0" || rt.Source != "installed by mcp-conductor" {
		t.Fatalf("with current: %+v %v", rt, err)
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{"2.9.6": "v2.9.6", "v2.0.0": "v2.0.0", "2.1.0-rc.1": "v2.1.0-rc.1", " 10.0.1\n": "v10.0.1"} {
		if got, err := canonical(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"2.9", "latest", "2.x.1", ""} {
		if _, err := canonical(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if !older("1.99.99", "2.0.0") || older("2.0.0", "2.0.0") || !older("2.1.0-rc.1", "2.1.0") || !older("2.1.0-rc.1", "2.1.0-rc.2") || older("2.10.0", "2.9.9") {
		t.Error("older: wrong order (prereleases come before their release; 2.10 after 2.9)")
	}
}
