package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// TestPythonSeesTheGrants, on every platform (on Windows the grants are at
// /c/... for C:\...): Python works in the workspace, reads a read grant at
// sandbox.PythonPath of its name, cannot change it, and reaches nothing
// outside the grants, by its own path, by ".." out of a grant, or through
// Deno's API: the canary never comes back and the files stay as they were.
func TestPythonSeesTheGrants(t *testing.T) {
	root := t.TempDir()
	ws, ro := filepath.Join(root, "ws"), filepath.Join(root, "ro")
	outside := filepath.Join(t.TempDir(), "outside.txt")
	writeFile(t, outside, "OUTSIDE CANARY")
	writeFile(t, filepath.Join(ro, "keep.txt"), "read only")
	writeFile(t, filepath.Join(ws, "data.txt"), "in the workspace")
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+ws+","+ro+";allow-write="+ws)
	wsAt, _ := sandbox.PythonPath(ws)
	roAt, ok := sandbox.PythonPath(ro)
	if !ok {
		t.Fatalf("no Python path for %s", ro)
	}
	// The tool's description tells the model where that is.
	if d := c.toolDescription("run_python_code"); !strings.Contains(d, "The working folder is "+wsAt) {
		t.Errorf("the description does not name the working folder %s as Python sees it:\n%s", wsAt, d)
	}

	r := c.runPy("import os\n[os.getcwd(), open('data.txt').read()]", nil).mustSucceed(t)
	if got := fmt.Sprint(r.ReturnValue); got != fmt.Sprint([]any{wsAt, "in the workspace"}) {
		t.Fatalf("the workspace as Python's working folder: %s", r.raw)
	}
	c.runPy("open('out.txt', 'w').write('from python')", nil).mustSucceed(t)
	if b, err := os.ReadFile(filepath.Join(ws, "out.txt")); err != nil || string(b) != "from python" {
		t.Fatalf("a file Python wrote: %q, %v", b, err)
	}
	r = c.runPy(fmt.Sprintf("open(%q).read()", roAt+"/keep.txt"), nil).mustSucceed(t)
	if r.ReturnValue != "read only" {
		t.Fatalf("reading a read grant: %s", r.raw)
	}
	if r := c.runPy(fmt.Sprintf("open(%q, 'w').write('changed')", roAt+"/keep.txt"), nil); r.Status != "error" {
		t.Errorf("wrote into a read-only grant: %s", r.raw)
	}
	if b, _ := os.ReadFile(filepath.Join(ro, "keep.txt")); string(b) != "read only" {
		t.Fatalf("the read-only grant was changed: %q", b)
	}

	outAt, _ := sandbox.PythonPath(outside)
	rel, err := filepath.Rel(ro, outside)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{
		fmt.Sprintf("open(%q).read()", outAt),
		fmt.Sprintf("open(%q).read()", roAt+"/"+filepath.ToSlash(rel)),
		fmt.Sprintf("open(%q).read()", outside),
		fmt.Sprintf("import js\njs.Deno.readTextFileSync(%q)", outside),
		fmt.Sprintf("open(%q, 'w').write('overwritten')", outAt),
	} {
		r := c.runPy(code, nil)
		if r.Status != "error" {
			t.Errorf("%q succeeded: %s", code, r.raw)
		}
		leaks(t, r, "OUTSIDE CANARY")
	}
	if b, _ := os.ReadFile(outside); string(b) != "OUTSIDE CANARY" {
		t.Fatalf("the file outside the grants was changed: %q", b)
	}
}
