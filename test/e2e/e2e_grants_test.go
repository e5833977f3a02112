package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// Structured settings go straight into typed grants: a list value holding
// Deno's separators is refused naming the field, and nothing it spells
// becomes a flag. The canary is a file outside the grant, which a widened
// grant would let the code read.
func TestSettingsValuesCannotAddFlags(t *testing.T) {
	bin, deno := testBinary(t), testenv.Deno(t)
	x := realTemp(t)
	canary := newCanary(t)
	writeFile(t, filepath.Join(x, "secret.txt"), canary)
	for _, tt := range []struct{ settings, field string }{
		{fmt.Sprintf(`{"permissions":{"read":{"list":[%q]}}}`, filepath.Join(x, "data")+",allow-run"), "permissions.read.list[0]"},
		{`{"permissions":{"net":{"list":["a.invalid;allow-write"]}}}`, "permissions.net.list[0]"},
		{fmt.Sprintf(`{"permissions":{"write":{"list":[%q]}}}`, filepath.Join(x, "d")+"\n--allow-all"), "permissions.write.list[0]"},
		{`{"allowedPackages":["npm:is-number@^7,npm:left-pad@^1"]}`, "allowedPackages"},
	} {
		home := filepath.Join(realTemp(t), ".mcp-conductor")
		writeFile(t, filepath.Join(home, "settings.json"), tt.settings)
		cmd := exec.Command(bin, "--stdio")
		cmd.Env = osEnv([]string{"HOME=" + filepath.Dir(home), "MCP_CONDUCTOR_HOME=" + home, "MCP_CONDUCTOR_DENO=" + deno, "PATH=/usr/bin:/bin"})
		out, err := runWithTimeout(t, cmd)
		if err == nil || !strings.Contains(out, filepath.Join(home, "settings.json")) || !strings.Contains(out, tt.field) {
			t.Errorf("%s: exit %v, output %q; want an error naming %s", tt.settings, err, out, tt.field)
		}
	}
	// A separator Deno does not split at is part of a literal path: the
	// folder named "a;allow-read=<x>" is granted, and only it.
	odd := filepath.Join(x, "a;allow-read="+x)
	writeFile(t, filepath.Join(odd, "f.txt"), "literal")
	home := filepath.Join(realTemp(t), ".mcp-conductor")
	writeFile(t, filepath.Join(home, "settings.json"), fmt.Sprintf(`{"permissions":{"read":{"list":[%q]}}}`, odd))
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+home)
	if r := c.run(fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(odd, "f.txt")), nil).mustSucceed(t); r.ReturnValue != "literal" {
		t.Errorf("the literal path: %s", r.raw)
	}
	r := c.run(fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(x, "secret.txt")), nil).mustFail(t, "permission")
	if strings.Contains(string(r.raw), canary) {
		t.Errorf("the canary leaked: %s", r.raw)
	}
}
