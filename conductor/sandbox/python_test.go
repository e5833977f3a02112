package sandbox

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// newPythonRunner is a Runner with Python, under the variables in vars.
func newPythonRunner(t *testing.T, vars map[string]string) *Runner {
	t.Helper()
	deno, pyodide := testenv.Deno(t), testenv.Pyodide(t)
	home := t.TempDir()
	getenv := func(k string) string {
		if k == config.EnvHome {
			return home
		}
		return vars[k]
	}
	p, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(context.Background(), p, Options{Deno: deno, Getenv: getenv, Pyodide: pyodide})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	if st := r.Python(); !st.Enabled {
		t.Fatalf("Python is not enabled: %s", st.Reason)
	}
	return r
}

func runPy(t *testing.T, r *Runner, code string, globals map[string]any) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := r.Run(ctx, Job{Code: code, Python: true, Globals: globals, Timeout: time.Minute})
	if err != nil {
		t.Fatalf("%q: %v", code, err)
	}
	return res
}

// TestPythonEnvelope: the value of the last expression comes back as JSON
// (other values as their repr), output in stdout and stderr, and each kind
// of failure with its type and a traceback whose lines are the submitted
// code's.
func TestPythonEnvelope(t *testing.T) {
	r := newPythonRunner(t, map[string]string{config.EnvPythonPoolSize: "1"})
	cases := []struct {
		name, code string
		globals    map[string]any
		want       any    // returnValue on success
		kind       string // error type, "" for success
		text       []string
		stdout     string
	}{
		{name: "sum", code: "sum(range(10))", want: float64(45)},
		{name: "print and value", code: "print('a;b')\n{'x': [1, 2.5, None, True]}", stdout: "a;b\n", want: map[string]any{"x": []any{float64(1), 2.5, nil, true}}},
		{name: "repr", code: "class P:\n    def __repr__(self): return 'P()'\nP()", want: "P()"},
		{name: "set is repr", code: "{1}", want: "{1}"},
		{name: "nan", code: "float('nan')", want: "nan"},
		{name: "no expression", code: "x = 1", want: nil},
		{name: "globals", code: "n * 2", globals: map[string]any{"n": 21}, want: float64(42)},
		{name: "top-level await", code: "import asyncio\nawait asyncio.sleep(0)\n7", want: float64(7)},
		{name: "runtime", code: "def f():\n    return 1/0\n\nf()", kind: "runtime",
			text: []string{"Traceback (most recent call last):", `File "<code>", line 4, in <module>`, `File "<code>", line 2, in f`, "return 1/0", "ZeroDivisionError: division by zero"}},
		{name: "syntax", code: "x = 1\ny = (", kind: "syntax", text: []string{`File "<code>", line 2`, "SyntaxError"}},
		{name: "indentation", code: "if True:\nprint(1)", kind: "syntax", text: []string{"IndentationError"}},
		{name: "module missing", code: "import requests", kind: "dependency", text: []string{"ModuleNotFoundError", "requests"}},
		{name: "network refused", code: "import js\nawait js.fetch('http://127.0.0.1:8080/')", kind: "permission", text: []string{"Requires net access"}},
		{name: "exit 0", code: "import sys\nsys.exit(0)", want: nil},
		{name: "exit 3", code: "import sys\nsys.exit(3)", kind: "runtime", text: []string{"SystemExit: 3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runPy(t, r, c.code, c.globals)
			if c.kind == "" {
				if res.Status != "success" {
					t.Fatalf("got %+v (error %+v)", res, res.Error)
				}
				if !equalJSON(res.ReturnValue, c.want) {
					t.Errorf("returnValue %#v, want %#v", res.ReturnValue, c.want)
				}
			} else {
				if res.Error == nil || string(res.Error.Type) != c.kind {
					t.Fatalf("got %+v (error %+v), want type %s", res, res.Error, c.kind)
				}
				for _, s := range c.text {
					if !strings.Contains(res.Error.Message, s) {
						t.Errorf("message lacks %q:\n%s", s, res.Error.Message)
					}
				}
				if strings.Contains(res.Error.Message, "_pyodide") || strings.Contains(res.Error.Message, "conductor:bootstrap") {
					t.Errorf("the traceback shows the conductor's frames:\n%s", res.Error.Message)
				}
			}
			if res.Stdout != c.stdout {
				t.Errorf("stdout %q, want %q", res.Stdout, c.stdout)
			}
		})
	}
}

func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k := range x {
			if !equalJSON(x[k], y[k]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// TestPythonPoolStartsOnFirstUse: no interpreter is booted before Python is
// first asked for; then the pool keeps its one interpreter waiting, and
// every job gets a new one (a job's globals are not seen by the next).
func TestPythonPoolStartsOnFirstUse(t *testing.T) {
	r := newPythonRunner(t, map[string]string{config.EnvPoolSize: "0", config.EnvPythonPoolSize: "1"})
	if n := r.Running(); n != 0 {
		t.Fatalf("%d processes before the first job", n)
	}
	runPy(t, r, "1", nil)
	// The job's process is reaped, and the pool's one interpreter waits
	// (and no more: the pool never grows past its size).
	for deadline := time.Now().Add(2 * time.Minute); r.Python().Warm != 1 || r.Running() != 1; {
		if time.Now().After(deadline) {
			t.Fatalf("the Python pool: %d waiting, %d processes; want 1 and 1", r.Python().Warm, r.Running())
		}
		time.Sleep(50 * time.Millisecond)
	}
	res := runPy(t, r, "import builtins\nbuiltins.left = 1\nleft", nil)
	if res.Status != "success" {
		t.Fatalf("%+v", res.Error)
	}
	res = runPy(t, r, "import builtins\nhasattr(builtins, 'left')", nil)
	if res.ReturnValue != false {
		t.Fatalf("an interpreter was used twice: %+v %+v", res.ReturnValue, res.Error)
	}
}

// TestPythonOff: Python turned off, or no Pyodide runtime, leaves the
// runner without Python and says why; a Python job is refused.
func TestPythonOff(t *testing.T) {
	deno := testenv.Deno(t)
	for name, c := range map[string]struct {
		vars    map[string]string
		pyodide string
		reason  string
	}{
		"turned off": {map[string]string{config.EnvPython: "0"}, testenv.Pyodide(t), "turned off"},
		"missing":    {nil, t.TempDir(), "is not a Pyodide runtime"},
	} {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			getenv := func(k string) string {
				if k == config.EnvHome {
					return home
				}
				return c.vars[k]
			}
			p, err := config.Load(getenv)
			if err != nil {
				t.Fatal(err)
			}
			r, err := New(context.Background(), p, Options{Deno: deno, Getenv: getenv, Pyodide: c.pyodide})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Stop()
			if st := r.Python(); st.Enabled || !strings.Contains(st.Reason, c.reason) {
				t.Fatalf("status %+v, want a reason with %q", st, c.reason)
			}
			res, err := r.Run(context.Background(), Job{Code: "1", Python: true})
			if err != nil || res.Error == nil || res.Error.Type != KindDependency {
				t.Fatalf("%+v %v", res, err)
			}
		})
	}
}

// TestPyodideFolderMustBeReadable: a Pyodide folder inside, or holding, a
// place code may not read is refused rather than opened.
func TestPyodideFolderMustBeReadable(t *testing.T) {
	deno, src := testenv.Deno(t), testenv.Pyodide(t)
	home := t.TempDir()
	inside := filepath.Join(home, "runtime", "pyodide")
	if err := os.MkdirAll(inside, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range pyodideFiles {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(inside, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	getenv := func(k string) string { return map[string]string{config.EnvHome: home}[k] }
	p, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{inside, filepath.Dir(home)} {
		r, err := New(context.Background(), p, Options{Deno: deno, Getenv: getenv, Pyodide: dir})
		if err != nil {
			t.Fatal(err)
		}
		st := r.Python()
		r.Stop()
		if st.Enabled {
			t.Errorf("Pyodide at %s was accepted", dir)
		}
	}
}

// TestPythonMounts: the granted folders Python sees, outermost first, and
// never one that hides Pyodide's own.
func TestPythonMounts(t *testing.T) {
	a := t.TempDir()
	b := filepath.Join(a, "b")
	os.Mkdir(b, 0o755)
	file := filepath.Join(a, "f.txt")
	os.WriteFile(file, nil, 0o644)
	e := Env{reads: []string{b, a, "/", file, "/lib"}, writes: []string{b, "/tmp", "/dev/shm"}}
	at, _ := PythonPath(a)
	want := pyMount{At: at, Host: pythonHost(runtime.GOOS, a)}
	if got := e.mounts(); len(got) != 1 || got[0] != want {
		t.Fatalf("mounts %v, want [%v]", got, want)
	}
}

// TestPythonPath: where a folder appears in Python's file system, for
// Unix and Windows spellings, on every platform.
func TestPythonPath(t *testing.T) {
	for _, c := range []struct {
		goos, host, at string
		ok             bool
	}{
		{"linux", "/home/me/data", "/home/me/data", true},
		{"darwin", "/private/var/x", "/private/var/x", true},
		{"windows", `C:\Users\me\data`, "/c/Users/me/data", true},
		{"windows", `d:\Work\`, "/d/Work", true},
		{"windows", `C:\`, "/c", true},
		{"windows", `C:/Users/me`, "/c/Users/me", true},
		{"windows", `\\server\share\x`, "", false},
		{"windows", `\\?\C:\x`, "", false},
		{"windows", `C:relative`, "", false},
		{"windows", `1:\x`, "", false},
	} {
		at, ok := pythonPath(c.goos, c.host)
		if at != c.at || ok != c.ok {
			t.Errorf("pythonPath(%s, %q) = %q, %v; want %q, %v", c.goos, c.host, at, ok, c.at, c.ok)
		}
	}
	if got := pythonHost("windows", `C:\Users\me\data`); got != "C:/Users/me/data" {
		t.Errorf("pythonHost: %q", got)
	}
}

// TestPythonPackagesFromTheIndex: an allowlisted pure-Python wheel comes
// from the administrator's index (a local one serving a wheel built here),
// at the allowlisted version, checked against the index's sha256, and only
// at install time; anything else is a dependency error.
func TestPythonPackagesFromTheIndex(t *testing.T) {
	good := testenv.BuildWheel(t, "conductor_hello", "1.0.0", map[string]string{"conductor_hello/__init__.py": "GREETING = 'hello from 1.0.0'\n"})
	newer := testenv.BuildWheel(t, "conductor_hello", "2.0.0", map[string]string{"conductor_hello/__init__.py": "GREETING = 'hello from 2.0.0'\n"})
	bad := testenv.BuildWheel(t, "conductor_bad", "1.0.0", map[string]string{"conductor_bad/__init__.py": "X = 1\n"})
	index, _, downloads := testenv.PythonIndex(t, []testenv.Wheel{good, newer, bad}, map[string]bool{bad.File(): true})
	r := newPythonRunner(t, map[string]string{config.EnvPythonIndex: index, config.EnvPythonPackages: "conductor-hello==1.0.0,conductor_bad==1.0.0"})
	ctx := context.Background()
	run := func(code string, pkgs ...string) *Result {
		res, err := r.Run(ctx, Job{Code: code, Python: true, Dependencies: pkgs, Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run("import conductor_hello\nconductor_hello.GREETING", "Conductor.Hello")
	if res.Status != "success" || res.ReturnValue != "hello from 1.0.0" {
		t.Fatalf("%+v %+v", res.ReturnValue, res.Error)
	}
	installed := downloads.Load()
	if res := run("import conductor_hello\nconductor_hello.GREETING", "conductor_hello"); res.ReturnValue != "hello from 1.0.0" {
		t.Fatalf("second run: %+v %+v", res.ReturnValue, res.Error)
	}
	if n := downloads.Load(); n != installed {
		t.Fatalf("a run downloaded %d files", n-installed)
	}
	for _, c := range []struct {
		code, pkg, want string
	}{
		{"import conductor_hello", "", "ModuleNotFoundError"},
		{"1", "requests", "not allowed"},
		{"1", "conductor_bad", "checksum mismatch"},
	} {
		var pkgs []string
		if c.pkg != "" {
			pkgs = []string{c.pkg}
		}
		res := run(c.code, pkgs...)
		if res.Error == nil || res.Error.Type != KindDependency || !strings.Contains(res.Error.Message, c.want) {
			t.Errorf("%q with %q: %+v", c.code, c.pkg, res.Error)
		}
	}
	if _, err := os.Stat(filepath.Join(r.py.packages.dir, bad.File())); err == nil {
		t.Error("a wheel that failed its checksum is in the cache")
	}
}

// TestPythonPackagesFromPyodide: one of Pyodide's packages comes from the
// administrator's Pyodide package folder with its dependencies, checked
// against the runtime's lockfile (here a copy of the real runtime whose
// lockfile names two packages built here).
func TestPythonPackagesFromPyodide(t *testing.T) {
	lib := testenv.BuildWheel(t, "conductor_lib", "3.1.0", map[string]string{"conductor_lib/__init__.py": "from conductor_dep import VALUE\nGREETING = 'lib and ' + VALUE\n"})
	dep := testenv.BuildWheel(t, "conductor_dep", "0.1.0", map[string]string{"conductor_dep/__init__.py": "VALUE = 'dep'\n"})
	liar := testenv.BuildWheel(t, "conductor_liar", "1.0.0", map[string]string{"conductor_liar/__init__.py": "X = 1\n"})
	_, folder, _ := testenv.PythonIndex(t, []testenv.Wheel{lib, dep, liar}, nil)
	src, dir := testenv.Pyodide(t), t.TempDir()
	for _, f := range pyodideFiles {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "pyodide-lock.json" {
			var lock map[string]any
			json.Unmarshal(b, &lock)
			pkgs := lock["packages"].(map[string]any)
			entry := func(w testenv.Wheel, sum string, deps ...string) map[string]any {
				return map[string]any{"name": strings.ReplaceAll(w.Name, "_", "-"), "version": w.Version, "file_name": w.File(), "sha256": sum,
					"depends": deps, "imports": []string{w.Name}, "install_dir": "site", "package_type": "package"}
			}
			pkgs["conductor-lib"] = entry(lib, sha256Hex(lib.Data), "conductor-dep")
			pkgs["conductor-dep"] = entry(dep, sha256Hex(dep.Data))
			pkgs["conductor-liar"] = entry(liar, sha256Hex([]byte("something else")))
			b, _ = json.Marshal(lock)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	home := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{config.EnvHome: home, config.EnvPyodideIndex: folder, config.EnvPythonPackages: "conductor-lib,conductor-liar"}[k]
	}
	p, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(context.Background(), p, Options{Deno: testenv.Deno(t), Getenv: getenv, Pyodide: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	res, err := r.Run(context.Background(), Job{Code: "import conductor_lib\nconductor_lib.GREETING", Python: true, Dependencies: []string{"conductor-lib"}, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.ReturnValue != "lib and dep" {
		t.Fatalf("%+v %+v", res.ReturnValue, res.Error)
	}
	res, err = r.Run(context.Background(), Job{Code: "1", Python: true, Dependencies: []string{"conductor-liar"}, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error == nil || res.Error.Type != KindDependency || !strings.Contains(res.Error.Message, "checksum mismatch") {
		t.Fatalf("a file that does not match the lockfile: %+v", res.Error)
	}
}

// TestPythonMemoryBomb: memory the interpreter cannot get is a limit error,
// and the next run is unaffected.
func TestPythonMemoryBomb(t *testing.T) {
	r := newPythonRunner(t, map[string]string{config.EnvMaxMemoryMB: "256"})
	for _, code := range []string{"x = bytearray(2**31 - 1)", "x = [0] * (10**9)", "s = []\nwhile True:\n    s.append(bytearray(50 * 1024**2))"} {
		res := runPy(t, r, code, nil)
		if res.Error == nil || res.Error.Type != KindLimit {
			t.Errorf("%q: %+v %+v", code, res.Status, res.Error)
		}
	}
	if res := runPy(t, r, "1 + 1", nil); res.ReturnValue != 2.0 {
		t.Fatalf("after the bombs: %+v", res.Error)
	}
}

// TestPythonDamagedSnapshot: an interpreter that cannot boot from the
// memory snapshot (here a damaged file) boots without it: the job that met
// it runs, so do the next ones, and the administrator is told once.
func TestPythonDamagedSnapshot(t *testing.T) {
	deno, pyodide := testenv.Deno(t), testenv.Pyodide(t)
	home := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case config.EnvHome:
			return home
		case config.EnvPythonPoolSize:
			return "1"
		}
		return ""
	}
	p, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var warnings []string
	warn := func(s string) { mu.Lock(); warnings = append(warnings, s); mu.Unlock() }
	r, err := New(context.Background(), p, Options{Deno: deno, Getenv: getenv, Pyodide: pyodide, Warn: warn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	if r.py == nil {
		t.Fatalf("Python is off: %s", r.Python().Reason)
	}
	damaged := strings.Repeat("not a Pyodide memory snapshot\n", 1000)
	if err := os.WriteFile(r.py.snapshot, []byte(damaged), 0o444); err != nil {
		t.Fatal(err)
	}
	for i, code := range []string{"6 * 7", "sum(range(5))", "'again'"} {
		res := runPy(t, r, code, nil)
		if res.Status != "success" {
			t.Fatalf("run %d (%q) with a damaged snapshot: %+v", i, code, res.Error)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var about []string // others say, for one, that there is no kernel layer
	for _, w := range warnings {
		if strings.Contains(w, r.py.snapshot) {
			about = append(about, w)
		}
	}
	if len(about) != 1 || !strings.Contains(about[0], "without it") {
		t.Fatalf("warnings: %q; want one naming the snapshot", warnings)
	}
	if b, _ := os.ReadFile(r.py.snapshot); string(b) != damaged {
		t.Fatal("the damaged snapshot was changed; the administrator is told to delete it")
	}
}
