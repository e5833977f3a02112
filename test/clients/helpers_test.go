package clientcli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// cli returns the path of an installed client CLI.
func cli(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(testenv.RepoRoot(t), "test", "clients", "node_modules", ".bin", name)
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "the %s CLI (run `make client-clis`): %v", name, err)
	}
	return p
}

// home is a temporary user: its folder, and the environment every command
// of the test runs with. Nothing of the real user's leaks in.
type home struct {
	t    *testing.T
	dir  string
	work string // a project folder inside it, where commands run
	env  []string
}

func newHome(t *testing.T) *home {
	t.Helper()
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	node := filepath.Dir(testenv.Node(t))
	bin := filepath.Join(testenv.RepoRoot(t), "test", "clients", "node_modules", ".bin")
	h := &home{t: t, dir: dir, work: work, env: []string{
		"HOME=" + dir,
		"USERPROFILE=" + dir,
		"PATH=" + strings.Join([]string{bin, node, "/usr/local/bin", "/usr/bin", "/bin"}, string(os.PathListSeparator)),
		"TMPDIR=" + os.TempDir(),
		"LANG=C.UTF-8",
		"TERM=dumb",
		"NO_COLOR=1",
		"MCP_CONDUCTOR_HOME=" + filepath.Join(dir, ".mcp-conductor"),
		"MCP_CONDUCTOR_DENO=" + testenv.Deno(t),
		// The CLIs' own chatter: no update checks, telemetry or downloads.
		"DISABLE_AUTOUPDATER=1", "DISABLE_TELEMETRY=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"OPENCODE_DISABLE_AUTOUPDATE=1", "OPENCODE_DISABLE_DEFAULT_PLUGINS=1", "OPENCODE_DISABLE_MODELS_FETCH=1",
		"OPENCODE_DISABLE_LSP_DOWNLOAD=1", "OPENCODE_DISABLE_SHARE=1",
	}}
	return h
}

// run runs a program in the home's project folder and returns its stdout
// and stderr together; a failure ends the test unless allowFail.
func (h *home) run(allowFail bool, name string, args ...string) string {
	h.t.Helper()
	return h.runIn(h.work, "", allowFail, name, args...)
}

func (h *home) runIn(dir, stdin string, allowFail bool, name string, args ...string) string {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, h.env
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if err != nil && !allowFail {
		h.t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out.String())
	}
	h.t.Logf("$ %s %s\n%s", filepath.Base(name), strings.Join(args, " "), out.String())
	return out.String()
}

// conductor runs the mcp-conductor binary under test.
func (h *home) conductor(args ...string) string {
	h.t.Helper()
	return h.run(false, testenv.Binary(h.t), args...)
}

// state returns the STATE column of `mcp-conductor clients` for a row.
func (h *home) state(dir, row string) string {
	h.t.Helper()
	out := h.runIn(dir, "", false, testenv.Binary(h.t), "clients")
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, row+"  "); ok { // columns are 2+ spaces apart
			rest = strings.TrimSpace(rest)
			return strings.TrimSpace(rest[:strings.LastIndex(rest, " ")])
		}
	}
	h.t.Fatalf("no row %q in:\n%s", row, out)
	return ""
}

func (h *home) write(rel, content string) {
	h.t.Helper()
	p := filepath.Join(h.dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		h.t.Fatal(err)
	}
}

func (h *home) read(rel string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, rel))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func mustContain(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Fatalf("output lacks %q:\n%s", w, out)
		}
	}
}
