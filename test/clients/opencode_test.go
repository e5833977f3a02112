package clientcli

import (
	"strings"
	"testing"
)

// TestOpencode registers with opencode (the mcp section of
// ~/.config/opencode/opencode.json, type local) and asks `opencode mcp
// list`, which connects to every server.
func TestOpencode(t *testing.T) {
	opencode := cli(t, "opencode")
	h := newHome(t)
	h.run(false, opencode, "--version")
	h.conductor("register", "opencode", "--force")
	cfg := h.read(".config/opencode/opencode.json")
	mustContain(t, cfg, `"type": "local"`, `"environment"`)
	out := h.run(false, opencode, "mcp", "list")
	mustContain(t, out, "mcp-conductor", "connected")
	if strings.Contains(out, "failed") {
		t.Fatalf("opencode mcp list:\n%s", out)
	}
	if got := h.state(h.work, "opencode"); got != "registered" {
		t.Fatalf("clients says %q", got)
	}
}
