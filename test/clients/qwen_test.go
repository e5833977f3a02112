package clientcli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestQwen registers with Qwen Code (~/.qwen/settings.json) and asks
// `qwen mcp list`, which connects to every server.
func TestQwen(t *testing.T) {
	qwen := cli(t, "qwen")
	h := newHome(t)
	h.run(false, qwen, "--version")
	h.conductor("register", "qwen", "--force")
	if _, err := os.Stat(filepath.Join(h.dir, ".qwen", "settings.json")); err != nil {
		t.Fatal(err)
	}
	out := h.run(false, qwen, "mcp", "list")
	mustContain(t, out, "mcp-conductor:", "(stdio) - Connected")
	if got := h.state(h.work, "qwen"); got != "registered" {
		t.Fatalf("clients says %q", got)
	}
}
