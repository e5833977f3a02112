package backend

import (
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// TestPlaygroundPython: the Playground runs Python as run_python_code
// does, the Overview's status follows the pool, and the page turns Python
// off and on.
func TestPlaygroundPython(t *testing.T) {
	f := withDeno(t, config.EnvPyodide+"="+testenv.Pyodide(t), config.EnvPoolSize+"=0")
	st := f.b.PythonStatus()
	if !st.Enabled || !st.Installed || st.Version != deno.PyodideVersion || st.Warm != 0 || st.PoolSize != 1 {
		t.Fatalf("before the first run: %+v", st)
	}
	res, err := f.run(RunRequest{Code: "def f():\n    return 1 / 0\nf()", Language: "python"})
	if err != nil || res.Error == nil || res.Error.Type != "runtime" || !strings.Contains(res.Error.Message, `File "<code>", line 2, in f`) {
		t.Fatalf("%+v %v", res, err)
	}
	// The pool fills after the first run; its interpreter holds memory.
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if st = f.b.PythonStatus(); st.Warm == 1 && st.IdleMB > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pool did not fill: %+v", st)
		}
	}
	if _, err := f.run(RunRequest{Code: "1", Language: "ruby"}); err == nil {
		t.Fatal("an unknown language was accepted")
	}
	v, _ := f.b.Settings()
	s := v.Settings
	s.Python.Disabled = true
	s.Python.Packages = []string{"numpy", "tabulate==0.9.0"}
	v, err = f.b.SaveSettings(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if v.Effective.Python || strings.Join(v.Effective.PythonPackages, " ") != "numpy tabulate==0.9.0" {
		t.Fatalf("effective: %+v", v.Effective)
	}
	if st = f.b.PythonStatus(); st.Enabled || !strings.Contains(st.Detail, "turned off") {
		t.Fatalf("after turning it off: %+v", st)
	}
	res, err = f.run(RunRequest{Code: "1", Language: "python"})
	if err != nil || res.Error == nil || res.Error.Type != "dependency" {
		t.Fatalf("Python while off: %+v %v", res, err)
	}
	s.Python.Packages = []string{"six>=1"}
	if _, err := f.b.SaveSettings(t.Context(), s); err == nil || !strings.Contains(err.Error(), "Python packages") {
		t.Fatalf("an invalid package: %v", err)
	}
	// Turned on again, Python's pool starts without waiting for a run.
	s.Python.Disabled, s.Python.Packages = false, nil
	if _, err := f.b.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); f.b.PythonStatus().Warm != 1; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the pool did not start when Python was turned on: %+v", f.b.PythonStatus())
		}
	}
	if err := CheckPythonPackage("tabulate==0.9.0"); err != nil {
		t.Error(err)
	}
	if err := CheckPythonPackage("https://x/y.whl"); err == nil {
		t.Error("a URL was accepted as a package")
	}
}

// TestInstallPythonFromTheApp: Install Python gets Pyodide from the npm
// registry of the npm configuration (a local one serving the real package)
// and the engine switches to it.
func TestInstallPythonFromTheApp(t *testing.T) {
	files := []string{"package.json", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
	reg := testenv.PyodideRegistry(t, deno.PyodideVersion, files, false)
	f := withDeno(t, "NPM_CONFIG_REGISTRY="+reg, config.EnvPoolSize+"=0")
	if st := f.b.PythonStatus(); st.Installed || st.Enabled || !strings.Contains(st.Detail, "not installed") {
		t.Fatalf("before: %+v", st)
	}
	st, err := f.b.InstallPython(t.Context(), nil)
	if err != nil || !st.Installed || !st.Enabled {
		t.Fatalf("after: %+v %v", st, err)
	}
	res, err := f.run(RunRequest{Code: "sum(range(10))", Language: "python"})
	if err != nil || res.ReturnValue != 45.0 {
		t.Fatalf("%+v %v", res, err)
	}
}
