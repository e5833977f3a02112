package devpath

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// cleanCopy copies the repository's files (tracked and new, as git lists
// them; no node_modules) into a temporary folder.
func cleanCopy(t *testing.T) string {
	t.Helper()
	root := testenv.RepoRoot(t)
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		testenv.Missing(t, "git ls-files in %s: %v", root, err)
	}
	dst := t.TempDir()
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if rel == "" || rel == "node_modules" || strings.Contains("/"+rel+"/", "/node_modules/") {
			continue
		}
		src := filepath.Join(root, rel)
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the work tree, or a link
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestMakeRunWritesOnlyProtocolToStdout runs `make run` in a clean copy,
// where it first installs the npm packages, and speaks MCP to it: the first
// line on stdout must be the answer to initialize. make's own echo, npm's
// output and anything else belong on stderr.
func TestMakeRunWritesOnlyProtocolToStdout(t *testing.T) {
	for _, tool := range []string{"make", "npm", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Missing(t, "%s: %v", tool, err)
		}
	}
	dir := cleanCopy(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "run")
	cmd.Dir = dir
	// As from a terminal: not a sub-make of the make running this test.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "MAKELEVEL" && k != "MAKEFLAGS" && k != "MFLAGS" && k != "MCP_CONDUCTOR_HOME" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "MCP_CONDUCTOR_HOME="+t.TempDir())
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"devpath-test","version":"0"}}}`+"\n")
	line, err := bufio.NewReader(stdout).ReadString('\n')
	stdin.Close()
	cmd.Wait()
	if err != nil && line == "" {
		t.Fatalf("make run wrote nothing on stdout (%v); stderr:\n%s", err, stderr.String())
	}
	var msg struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      int             `json:"id"`
		Result  json.RawMessage `json:"result"`
	}
	if json.Unmarshal([]byte(line), &msg) != nil || msg.JSONRPC != "2.0" || msg.ID != 1 || msg.Result == nil {
		t.Fatalf("first stdout line of make run is not the initialize answer:\n%q\nstderr:\n%s", line, stderr.String())
	}
	if !strings.Contains(stderr.String(), "npm ci") {
		t.Errorf("the clean copy's make run installed nothing? stderr:\n%s", stderr.String())
	}
}
