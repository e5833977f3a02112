package clientcli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGemini registers with Gemini CLI and compares what `gemini mcp list`
// reports (it starts the server and does an MCP initialize) with what
// `mcp-conductor clients` says, in the three cases Gemini distinguishes:
// a trusted folder (Connected), an untrusted one (Disabled) and an
// mcp.allowed list without our name (Blocked).
func TestGemini(t *testing.T) {
	gemini := cli(t, "gemini")
	h := newHome(t)
	h.run(false, gemini, "--version")
	os.MkdirAll(filepath.Join(h.dir, ".gemini"), 0o755)
	h.conductor("register", "gemini")

	trusted, _ := json.Marshal(map[string]string{h.work: "TRUST_FOLDER"})
	h.write(".gemini/trustedFolders.json", string(trusted))
	out := h.run(false, gemini, "mcp", "list")
	mustContain(t, out, "mcp-conductor:", "(stdio) - Connected")
	if got := h.state(h.work, "gemini"); got != "registered" {
		t.Fatalf("trusted folder: clients says %q", got)
	}

	elsewhere := filepath.Join(h.dir, "elsewhere")
	os.MkdirAll(elsewhere, 0o755)
	out = h.runIn(elsewhere, "", false, gemini, "mcp", "list")
	mustContain(t, out, "mcp-conductor:", "- Disabled")
	if got := h.state(elsewhere, "gemini"); got != "disabled" {
		t.Fatalf("untrusted folder: gemini says Disabled, clients says %q", got)
	}

	settings := h.read(".gemini/settings.json")
	h.write(".gemini/settings.json", strings.Replace(settings, "{", `{"mcp": {"allowed": ["some-other-server"]},`, 1))
	out = h.run(false, gemini, "mcp", "list")
	mustContain(t, out, "mcp-conductor:", "- Blocked")
	if got := h.state(h.work, "gemini"); got != "blocked" {
		t.Fatalf("mcp.allowed without us: gemini says Blocked, clients says %q", got)
	}
}
