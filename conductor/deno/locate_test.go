package deno

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func emptyEnv(string) string { return "" }

// TestMain lets the test binary stand in for Deno builds that cannot run
// here (too old, hanging, not Deno): a copy of it with a file <exe>.fake
// beside it does what that file says. A Go program, so the same fakes run
// on Windows (no shell scripts).
func TestMain(m *testing.M) {
	if exe, err := os.Executable(); err == nil {
		if b, err := os.ReadFile(exe + ".fake"); err == nil {
			what, arg, _ := strings.Cut(string(b), " ")
			switch what {
			case "print":
				fmt.Println(arg)
			case "hang":
				time.Sleep(time.Minute)
			}
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}

// fake puts a stand-in deno (see TestMain) into dir, named as this system
// names deno, that does what: "print <its --version line>" or "hang".
func fake(t *testing.T, dir, what string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, exeNames()[0])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+".fake", []byte(what), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// script puts a stand-in deno doing what into a new folder.
func script(t *testing.T, what string) string { return fake(t, t.TempDir(), what) }

// current is a stand-in for a current Deno 2 (its --version line).
const current = "print deno 2.9.6 (stable, release, x86_64)"

// linked puts a current Deno into a new folder and returns the folder.
func linked(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	fake(t, dir, current)
	return dir
}

// pathList joins folders as this system's PATH does.
func pathList(dirs ...string) string { return strings.Join(dirs, string(os.PathListSeparator)) }

func TestLocate(t *testing.T) {
	ctx := context.Background()
	deno := realDeno(t)
	old := script(t, "print deno 1.46.3 (stable, release, x86_64-unknown-linux-gnu)")
	notDeno := script(t, "print node v22")
	uh := t.TempDir()
	fake(t, filepath.Join(uh, ".deno", "bin"), current)

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
		{"~/.deno/bin", map[string]string{"HOME": uh, "USERPROFILE": uh, "PATH": filepath.Dir(old)}, "~/.deno/bin", ""},
		{"PATH skips old and foreign", map[string]string{"HOME": t.TempDir(), "PATH": pathList(filepath.Dir(old), filepath.Dir(notDeno), "relative", linked(t))}, "PATH", ""},
	}
	for _, tc := range cases {
		if tc.name == "login shell PATH" && runtime.GOOS == "windows" {
			continue // Windows has no login shell whose PATH to ask
		}
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
	fake(t, filepath.Join(root, "bin"), current)
	rt, err := Locate(context.Background(), LocateOptions{Home: t.TempDir(), Getenv: func(k string) string {
		return map[string]string{"DENO_INSTALL": root}[k]
	}})
	if err != nil || rt.Source != "$DENO_INSTALL/bin" {
		t.Fatalf("%+v %v", rt, err)
	}
}

func TestLocateNotFound(t *testing.T) {
	old := script(t, "print deno 1.46.3")
	hang := script(t, "hang") // never answers: "did not answer within 5s" shows it was cut short
	_, err := Locate(context.Background(), LocateOptions{
		Home:       t.TempDir(),
		MinVersion: "99.0.0", // whatever this machine has is too old
		// Long enough for any candidate that answers at all (a program
		// starts slowly under Wine), far shorter than the hang.
		Timeout: 5 * time.Second,
		Getenv: func(k string) string {
			return map[string]string{"HOME": t.TempDir(), "PATH": pathList(filepath.Dir(old), filepath.Dir(hang))}[k]
		},
	})
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want *NotFoundError", err)
	}
	msg := err.Error()
	looked := "looked in ~/.deno/bin, /usr/local/bin"
	if runtime.GOOS == "windows" {
		looked = "looked in ~/.deno/bin, PATH, winget"
	}
	for _, want := range []string{"deno 99.0.0 or newer not found", old + " (PATH) is unusable: version 1.46.3 is older than 99.0.0", "did not answer within 5s", looked, "run `mcp-conductor deno install`"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestLocatePrefersCurrentInstall(t *testing.T) {
	home := t.TempDir()
	for _, v := range []string{"2.1.0", "2.5.0"} {
		fake(t, filepath.Join(home, "runtime", v), "print deno "+v)
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
