package clientcli

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"
)

// TestCodex registers with Codex. `codex mcp list` only reads the file, so
// the connection is checked with Codex's own app-server: its
// mcpServerStatus/list request starts each server and returns what the
// MCP initialize and tools/list answered.
func TestCodex(t *testing.T) {
	codex := cli(t, "codex")
	h := newHome(t)
	h.run(false, codex, "--version")
	h.conductor("register", "codex", "--force")
	out := h.run(false, codex, "mcp", "list")
	mustContain(t, out, "mcp-conductor", "--stdio", "enabled")
	if got := h.state(h.work, "codex"); got != "registered" {
		t.Fatalf("clients says %q", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, codex, "app-server")
	cmd.Dir, cmd.Env = h.work, h.env
	cmd.WaitDelay = 10 * time.Second
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	for _, m := range []string{
		`{"id":0,"method":"initialize","params":{"clientInfo":{"name":"mcp-conductor-test","version":"0"}}}`,
		`{"method":"initialized"}`,
		`{"id":1,"method":"mcpServerStatus/list","params":{}}`,
	} {
		stdin.Write([]byte(m + "\n"))
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var msg struct {
			ID     *int `json:"id"`
			Result struct {
				Data []struct {
					Name       string `json:"name"`
					ServerInfo *struct {
						Name string `json:"name"`
					} `json:"serverInfo"`
					Tools map[string]any `json:"tools"`
				} `json:"data"`
			} `json:"result"`
			Error any `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &msg) != nil || msg.ID == nil || *msg.ID != 1 {
			continue
		}
		if msg.Error != nil {
			t.Fatalf("mcpServerStatus/list: %s", sc.Text())
		}
		for _, s := range msg.Result.Data {
			if s.Name == "mcp-conductor" {
				if s.ServerInfo == nil || s.ServerInfo.Name != "mcp-conductor" || s.Tools["run_deno_code"] == nil {
					t.Fatalf("codex did not connect to mcp-conductor: %.2000s", sc.Text())
				}
				return
			}
		}
		t.Fatalf("mcp-conductor not among codex's servers: %.2000s", sc.Text())
	}
	t.Fatalf("codex app-server ended without answering mcpServerStatus/list: %v", sc.Err())
}
