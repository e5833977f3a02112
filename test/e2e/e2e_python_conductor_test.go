package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// TestPythonConductorFilesInsideAGrant: a read grant that holds the
// conductor's home does not open its files to Python or JavaScript, under
// any spelling of their names (on Windows: other letter case, forward
// slashes, "." and ".." steps; Python's Unix-style path).
func TestPythonConductorFilesInsideAGrant(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "conductor")
	writeFile(t, filepath.Join(home, "mcp-config.json"), `{"mcpServers": {}, "note": "CONFIG CANARY"}`)
	writeFile(t, filepath.Join(home, "http-token"), "TOKEN CANARY")
	writeFile(t, filepath.Join(root, "data", "visible.txt"), "visible")
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+home, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+root)
	visible, _ := sandbox.PythonPath(filepath.Join(root, "data", "visible.txt"))
	r := c.runPy(fmt.Sprintf("open(%q).read()", visible), nil).mustSucceed(t)
	if r.ReturnValue != "visible" {
		t.Fatalf("the grant is not visible to Python: %s", r.raw)
	}
	for _, f := range []string{"mcp-config.json", "http-token"} {
		p := filepath.Join(home, f)
		at, _ := sandbox.PythonPath(p)
		sep := string(filepath.Separator)
		// Not filepath.Join: it would clean the steps away.
		spellings := []string{p, home + sep + "." + sep + f, home + sep + ".." + sep + "conductor" + sep + f}
		if filepath.Separator == '\\' {
			spellings = append(spellings, strings.ToUpper(p), strings.ToLower(p), filepath.ToSlash(p))
		}
		codes := []string{fmt.Sprintf("open(%q).read()", at), fmt.Sprintf("open(%q).read()", strings.ToUpper(at))}
		for _, s := range spellings {
			codes = append(codes, fmt.Sprintf("import js\njs.Deno.readTextFileSync(%q)", s))
		}
		for _, code := range codes {
			r := c.runPy(code, nil)
			if r.Status != "error" {
				t.Errorf("%q succeeded: %s", code, r.raw)
			}
			leaks(t, r, "CONFIG CANARY", "TOKEN CANARY")
		}
		for _, s := range spellings {
			r := c.run(fmt.Sprintf("Deno.readTextFileSync(%q)", s), nil)
			if r.Status != "error" {
				t.Errorf("JavaScript read %s: %s", s, r.raw)
			}
			leaks(t, r, "CONFIG CANARY", "TOKEN CANARY")
		}
	}
}
