package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

var _ = os.Getenv
var _ = filepath.Join
