package clientcli

import (
	"strings"
	"testing"
)

// TestClaudeCode registers with `mcp-conductor register claude-code` and
// asks `claude mcp list`, which starts every server and does an MCP
// initialize, whether it connects.
func TestClaudeCode(t *testing.T) {
	claude := cli(t, "claude")
	h := newHome(t)
	h.run(false, claude, "--version")
	h.conductor("register", "claude-code", "--force")
	out := h.run(false, claude, "mcp", "list")
	mustContain(t, out, "mcp-conductor:", "--stdio", "Connected")
	if strings.Contains(out, "Failed") {
		t.Fatalf("claude mcp list:\n%s", out)
	}
	if got := h.state(h.work, "claude-code"); got != "registered" {
		t.Fatalf("clients says %q", got)
	}
}

// TestClaudeCodeLinkCommand runs the `claude mcp add` line that
// `mcp-conductor clients links` prints, as printed, with the real claude
// in a home where nothing else was done: it must be accepted, and the entry
// it adds must connect and read as registered.
func TestClaudeCodeLinkCommand(t *testing.T) {
	claude := cli(t, "claude")
	h := newHome(t)
	links := h.conductor("clients", "links")
	_, after, ok := strings.Cut(links, "Claude Code command:\n")
	line, _, _ := strings.Cut(strings.TrimSpace(after), "\n")
	if !ok || !strings.HasPrefix(line, "claude mcp add ") || !strings.Contains(line, " -e MCP_CONDUCTOR_") {
		t.Fatalf("no claude command with -e in:\n%s", links)
	}
	h.run(false, "sh", "-c", line)
	out := h.run(false, claude, "mcp", "list")
	mustContain(t, out, "mcp-conductor:", "Connected")
	if got := h.state(h.work, "claude-code"); got != "registered" {
		t.Fatalf("after the printed command, clients says %q", got)
	}
}
