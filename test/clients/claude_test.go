package clientcli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
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

// TestClaudeCodeProjectSwitch: Claude Code turns a server off for one
// folder with /mcp (projects[<folder>].disabledMcpServers in
// ~/.claude.json) and blocks it by policy (deniedMcpServers). `claude mcp
// list` and `claude mcp get` show neither switch, so the test asks a real
// session: `claude -p` reports every MCP server's status in its init event
// ("connected", "disabled"; a blocked server is left out). `clients` must
// agree with it each time, and `register` must turn the folder's switch
// back on for the session.
func TestClaudeCodeProjectSwitch(t *testing.T) {
	claude := cli(t, "claude")
	h := newHome(t)
	h.conductor("register", "claude-code", "--force")
	// A git work tree: Claude Code keys a folder's state by the root of
	// the work tree, and the session runs in a subfolder of it.
	sub := filepath.Join(h.work, "pkg")
	for _, d := range []string{filepath.Join(h.work, ".git"), sub} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if got := claudeServers(t, h, claude, sub)["mcp-conductor"]; got != "connected" {
		t.Fatalf("before the switch, claude reports %q", got)
	}
	if got := h.state(sub, "claude-code"); got != "registered" {
		t.Fatalf("before the switch, clients says %q", got)
	}

	// What /mcp writes: the folder's entry lists the server.
	key, err := filepath.EvalSymlinks(h.work)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(h.read(".claude.json")), &doc); err != nil {
		t.Fatal(err)
	}
	doc["projects"] = map[string]any{key: map[string]any{"allowedTools": []any{}, "disabledMcpServers": []any{"memory", "mcp-conductor"}}}
	b, _ := json.MarshalIndent(doc, "", "  ")
	h.write(".claude.json", string(b))
	if got := claudeServers(t, h, claude, sub)["mcp-conductor"]; got != "disabled" {
		t.Fatalf("after /mcp's switch, claude reports %q", got)
	}
	if got := h.state(sub, "claude-code"); got != "disabled" {
		t.Fatalf("claude reports disabled, clients says %q", got)
	}
	if got := h.state(h.dir, "claude-code"); got != "registered" {
		t.Fatalf("in another folder, clients says %q", got)
	}

	out := h.runIn(sub, "", false, testenv.Binary(t), "register", "claude-code")
	mustContain(t, out, "it is on again")
	if got := claudeServers(t, h, claude, sub)["mcp-conductor"]; got != "connected" {
		t.Fatalf("after register, claude reports %q", got)
	}
	if got := h.state(sub, "claude-code"); got != "registered" {
		t.Fatalf("after register, clients says %q", got)
	}
	var after struct {
		Projects map[string]struct {
			DisabledMcpServers []string `json:"disabledMcpServers"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(h.read(".claude.json")), &after); err != nil {
		t.Fatal(err)
	}
	if got := after.Projects[key].DisabledMcpServers; len(got) != 1 || got[0] != "memory" {
		t.Fatalf("register left disabledMcpServers %v, want the other server's switch alone", got)
	}

	// A policy: deniedMcpServers merges from every settings file, the
	// user's too. (The managed settings live in a system folder a test
	// cannot write; the unit tests cover them.)
	h.write(filepath.Join(".claude", "settings.json"), `{"deniedMcpServers": [{"serverName": "mcp-conductor"}]}`)
	if servers := claudeServers(t, h, claude, sub); servers["mcp-conductor"] != "" {
		t.Fatalf("a denied server: claude reports %v", servers)
	}
	if got := h.state(sub, "claude-code"); got != "blocked" {
		t.Fatalf("claude leaves the denied server out, clients says %q", got)
	}
	out = h.runIn(sub, "", false, testenv.Binary(t), "register", "claude-code")
	mustContain(t, out, "will not start it yet", "deniedMcpServers")
	if got := h.state(sub, "claude-code"); got != "blocked" {
		t.Fatalf("register lifted a policy: clients says %q", got)
	}
}

// claudeServers starts a real Claude Code session in dir, offline (its
// model API is a loopback stand-in that refuses every request), and returns
// the status of each MCP server as the session's init event reports it.
func claudeServers(t *testing.T, h *home, claude, dir string) map[string]string {
	t.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"type":"error","error":{"type":"authentication_error","message":"offline test"}}`)
	}))
	defer api.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, claude, "-p", "hello", "--output-format", "stream-json", "--verbose", "--max-turns", "1")
	cmd.Dir = dir
	cmd.Env = append(slices.Clone(h.env), "ANTHROPIC_API_KEY=sk-offline-test", "ANTHROPIC_BASE_URL="+api.URL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); cmd.Wait() }() // the init event is all we need
	dec := json.NewDecoder(stdout)
	for {
		var ev struct {
			Type       string `json:"type"`
			Subtype    string `json:"subtype"`
			MCPServers []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
			} `json:"mcp_servers"`
		}
		if err := dec.Decode(&ev); err != nil {
			t.Fatalf("claude -p ended before its init event: %v\n%s", err, stderr.String())
		}
		if ev.Type == "system" && ev.Subtype == "init" {
			m := map[string]string{}
			for _, s := range ev.MCPServers {
				m[s.Name] = s.Status
			}
			t.Logf("claude -p in %s: MCP servers %v", dir, m)
			return m
		}
	}
}
