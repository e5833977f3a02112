//go:build !windows

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// Python's file system maps the grants on Unix systems only (Pyodide's file
// system has Unix paths): these tests are not built for Windows.

// TestPythonFiles: the workspace and the grants are Python's file system,
// exactly as far as run_deno_code could reach; links out of a grant and the
// conductor's own files inside one lead nowhere.
func TestPythonFiles(t *testing.T) {
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	outside := filepath.Join(t.TempDir(), "outside.txt")
	writeFile(t, outside, "OUTSIDE CANARY")
	writeFile(t, filepath.Join(ws, "data.csv"), "a,b\n1,2\n")
	if err := os.Symlink(outside, filepath.Join(ws, "link.txt")); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(root, "ro")
	writeFile(t, filepath.Join(ro, "keep.txt"), "read only")
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+ws+","+ro+";allow-write="+ws)
	r := c.runPy("import csv\nlist(csv.reader(open('data.csv')))", nil).mustSucceed(t)
	if fmt.Sprint(r.ReturnValue) != "[[a b] [1 2]]" {
		t.Fatalf("reading the workspace: %s", r.raw)
	}
	c.runPy("open('out.txt', 'w').write('from python')", nil).mustSucceed(t)
	if b, err := os.ReadFile(filepath.Join(ws, "out.txt")); err != nil || string(b) != "from python" {
		t.Fatalf("a file Python wrote: %q, %v", b, err)
	}
	r = c.runPy(fmt.Sprintf("open(%q).read()", filepath.Join(ro, "keep.txt")), nil).mustSucceed(t)
	if r.ReturnValue != "read only" {
		t.Fatalf("reading a read grant: %s", r.raw)
	}
	r = c.runPy(fmt.Sprintf("open(%q, 'w').write('changed')", filepath.Join(ro, "keep.txt")), nil)
	if r.Status != "error" {
		t.Fatalf("wrote into a read-only grant: %s", r.raw)
	}
	if b, _ := os.ReadFile(filepath.Join(ro, "keep.txt")); string(b) != "read only" {
		t.Fatalf("the read-only grant was changed: %q", b)
	}
	for _, code := range []string{
		"open('link.txt').read()",
		"import os\nos.readlink('link.txt') and open(os.path.realpath('link.txt')).read()",
		"open('link.txt', 'w').write('overwritten')",
		fmt.Sprintf("open(%q).read()", outside),
		fmt.Sprintf("import js\njs.Deno.readTextFileSync(%q)", filepath.Join(ws, "link.txt")),
	} {
		r := c.runPy(code, nil)
		if r.Status != "error" {
			t.Errorf("%q succeeded: %s", code, r.raw)
		}
		leaks(t, r, "OUTSIDE CANARY")
	}
	if b, _ := os.ReadFile(outside); string(b) != "OUTSIDE CANARY" {
		t.Fatalf("the file behind the link was changed: %q", b)
	}
}

// TestPythonRuntimeIsReadOnly: the installed runtime is the conductor's:
// code with a write grant that holds it may read it, never change it, from
// Python or JavaScript. (Without a kernel layer such a grant is refused at
// startup, as for the conductor's other files.)
func TestPythonRuntimeIsReadOnly(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "conductor")
	dir := filepath.Join(home, "cache", "python", "pyodide")
	for _, f := range []string{"package.json", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"} {
		b, err := os.ReadFile(filepath.Join(testenv.Pyodide(t), f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, f), string(b))
	}
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+home, "MCP_CONDUCTOR_PYODIDE=", "MCP_CONDUCTOR_RUN_ARGS=allow-write="+root)
	target := filepath.Join(dir, "pyodide.mjs")
	before, _ := os.ReadFile(target)
	for _, code := range []string{
		fmt.Sprintf("open(%q, 'w').write('pwned')", target),
		fmt.Sprintf("import js\njs.Deno.writeTextFileSync(%q, 'pwned')", target),
	} {
		if r := c.runPy(code, nil); r.Status == "success" {
			t.Errorf("%q changed the runtime: %s", code, r.raw)
		}
	}
	if r := c.run(fmt.Sprintf("Deno.writeTextFileSync(%q, 'pwned')", target), nil); r.Status == "success" {
		t.Errorf("JavaScript changed the runtime: %s", r.raw)
	}
	if after, _ := os.ReadFile(target); !bytes.Equal(before, after) {
		t.Fatal("the Pyodide runtime was changed by sandboxed code")
	}
	c.runPy("1 + 1", nil).mustSucceed(t)
}
