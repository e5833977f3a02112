package clients_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestRegisteredEntryAnswersInitialize takes the built mcp-conductor, registers it
// into a Cursor configuration in a temporary home, reads the entry back and
// launches it exactly as a client would — absolute command, its args, its
// env on top of a minimal environment — then speaks MCP to it.
func TestRegisteredEntryAnswersInitialize(t *testing.T) {
	deno := testenv.Deno(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	built := testenv.Binary(t) // prebuilt where there is no Go toolchain (Wine)

	home := t.TempDir()
	conductorHome := filepath.Join(home, ".mcp-conductor")
	os.MkdirAll(filepath.Join(home, ".cursor"), 0o755)
	opts := clients.Options{Env: clients.Env{GOOS: runtime.GOOS, Home: home}, Home: conductorHome}
	launcher, err := clients.InstallLauncher(conductorHome, built)
	if err != nil {
		t.Fatal(err)
	}
	cursor, _ := clients.Find("cursor")
	entry := clients.StdioEntry(launcher, map[string]string{
		"MCP_CONDUCTOR_HOME": conductorHome,
		"MCP_CONDUCTOR_DENO": deno,
	})
	ch, err := cursor.Register(ctx, entry, opts)
	if err != nil {
		t.Fatal(err)
	}

	var cfg struct {
		MCPServers map[string]struct {
			Command string            `json:"command"`
			Args    []string          `json:"args"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	data, err := os.ReadFile(ch.Path)
	if err != nil || json.Unmarshal(data, &cfg) != nil {
		t.Fatalf("read back %s: %v\n%s", ch.Path, err, data)
	}
	e, ok := cfg.MCPServers[clients.ServerName]
	if !ok || !filepath.IsAbs(e.Command) {
		t.Fatalf("entry %+v: want an absolute command", e)
	}

	cmd := exec.Command(e.Command, e.Args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
	if runtime.GOOS == "windows" { // a Windows user's minimal environment
		root := os.Getenv("SystemRoot")
		cmd.Env = []string{"USERPROFILE=" + home, "APPDATA=" + filepath.Join(home, "AppData", "Roaming"), "PATH=" + filepath.Join(root, "System32")}
	}
	for k, v := range e.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr := testenv.NewOutput(t, "mcp-conductor: ")
	cmd.Stderr = stderr
	cmd.WaitDelay = 10 * time.Second
	client := mcp.NewClient(&mcp.Implementation{Name: "registration-test", Version: "0"}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, nil)
	if err != nil {
		t.Fatalf("MCP initialize with %s %v: %v\nits stderr:\n%s", e.Command, e.Args, err, stderr)
	}
	defer session.Close()
	info := session.InitializeResult().ServerInfo
	if info == nil || info.Name == "" {
		t.Fatalf("initialize result has no server info: %+v", session.InitializeResult())
	}
	if _, err := session.ListTools(ctx, nil); err != nil {
		t.Fatalf("tools/list after initialize: %v", err)
	}
}
