//go:build gui

package guitest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/internal/testmirror"
)

// TestBrowserDrivesBackendInDevMode builds the app in Wails' dev mode, which
// serves the frontend and the Go bindings over HTTP beside the window, and
// runs the frontend's end-to-end tests (frontend/e2e/app.test.mjs) in
// headless Chromium against it: the real engine with the real Deno and
// Pyodide, a real upstream MCP server, and the AI clients' files in the
// session's home.
func TestBrowserDrivesBackendInDevMode(t *testing.T) {
	everything := filepath.Join(repoRoot, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
	if _, err := os.Stat(everything); err != nil {
		t.Fatalf("the upstream test server is missing (npm ci at the repository root): %v", err)
	}
	s := newSession(t)
	// Cursor is installed (its folder exists) but knows no MCP Conductor yet.
	if err := os.MkdirAll(filepath.Join(s.home, ".cursor"), 0o700); err != nil {
		t.Fatal(err)
	}
	// A desktop with no file manager: xdg-open finds nothing to open a
	// folder with (its exit status 3), as on a bare window manager.
	noFM := filepath.Join(s.home, "no-file-manager")
	if err := os.MkdirAll(noFM, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(noFM, "xdg-open"), []byte("#!/bin/sh\necho 'xdg-open: no method available for opening' \"$1\" >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Python runs on the pyodide npm package of the repository.
	pyodide := filepath.Join(repoRoot, "node_modules", "pyodide")
	a := runE2E(t, s, "dev-mode", "app.test.mjs", []string{"PATH=" + noFM + ":" + os.Getenv("PATH"), "MCP_CONDUCTOR_PYODIDE=" + pyodide},
		"E2E_EVERYTHING="+everything)

	// What the browser did is on disk: Cursor's file runs the launcher in
	// this home, with this home's settings.
	checkCursorEntry(t, s)

	// The last browser test quit the app from its window.
	if code, err := a.wait(longWait(15 * time.Second)); err != nil || code != 0 {
		t.Fatalf("after Quit in the window: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// TestFirstRunInstallsDeno runs frontend/e2e/first-run.test.mjs against an
// app that finds no Deno: the Overview says so, the install from an npm
// registry that is down fails in one sentence with a way forward, and the
// retry installs Deno, after which every card follows without a reload;
// Ctrl+Q then quits the app.
func TestFirstRunInstallsDeno(t *testing.T) {
	s := newSession(t)
	registry := testmirror.DenoNPM(t, deno, 1)
	a := runE2E(t, s, "first-run", "first-run.test.mjs", []string{"MCP_CONDUCTOR_DENO=", "npm_config_registry=" + registry})
	if code, err := a.wait(longWait(15 * time.Second)); err != nil || code != 0 {
		t.Fatalf("after Quit in the window: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// TestBrowserApproves runs frontend/e2e/approval.test.mjs: the app's home
// has the real filesystem server with "ask for changes" on, and saves of
// skills need approval; the person answers in the window's dialog, for the
// Playground's code (allow once: the file is written), for a separate
// --stdio conductor whose client cannot ask (deny: the canary is not
// written), and for that conductor's save_skill (allow once: saved).
func TestBrowserApproves(t *testing.T) {
	s := newSession(t)
	shared := askingFilesystem(t, s)
	settings := fmt.Sprintf(`{"permissions": {}, "http": {"port": %d}, "skills": {"requireApproval": true}}`, s.port)
	if err := os.WriteFile(filepath.Join(s.conductorHome(), "settings.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	runE2E(t, s, "approval", "approval.test.mjs", nil, "E2E_SHARED="+shared)

	// The audit log says the app answered, for both.
	b, err := os.ReadFile(filepath.Join(s.conductorHome(), "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec struct{ Kind, Client, Tool, Via, Decision string }
		_ = json.Unmarshal([]byte(line), &rec)
		if rec.Kind == "approval" {
			got = append(got, rec.Client+"/"+rec.Tool+"/"+rec.Via+"/"+rec.Decision)
		}
	}
	if want := "playground/write_file/app/allow once,headless-client/write_file/app/deny,headless-client/save_skill/app/allow once"; strings.Join(got, ",") != want {
		t.Errorf("audited approvals %q, want %q", strings.Join(got, ","), want)
	}
}

// askingFilesystem configures the real filesystem server, over a folder of
// s's home that it returns, with "ask for changes" on.
func askingFilesystem(t *testing.T, s *session) string {
	t.Helper()
	fsServer := filepath.Join(repoRoot, "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js")
	if _, err := os.Stat(fsServer); err != nil {
		t.Fatalf("the upstream test server is missing (npm ci at the repository root): %v", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is missing: %v", err)
	}
	shared := filepath.Join(s.home, "shared")
	if err := os.MkdirAll(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{
		"askForChanges": true,
		"mcpServers":    map[string]any{"filesystem": map[string]any{"command": node, "args": []string{fsServer, shared}}},
	})
	if err := os.WriteFile(filepath.Join(s.conductorHome(), "mcp-config.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	return shared
}

var (
	devOnce sync.Once
	devBin  string
	devErr  error
)

// devBinary is the dev-mode build (CONDUCTOR_GUI_DEV_BINARY, or built once).
func devBinary(t *testing.T) string {
	t.Helper()
	devOnce.Do(func() {
		if devBin = os.Getenv("CONDUCTOR_GUI_DEV_BINARY"); devBin != "" {
			return
		}
		devBin = filepath.Join(artifacts, "mcp-conductor-dev")
		fmt.Println("guitest: building the dev-mode app (go build -tags desktop,dev,webkit2_41)")
		out, err := exec.Command("go", "build", "-tags", "desktop,dev,webkit2_41", "-o", devBin,
			"github.com/mcp-conductor/mcp-conductor").CombinedOutput()
		if err != nil {
			devErr = fmt.Errorf("building the dev-mode app: %v\n%s", err, out)
		}
	})
	if devErr != nil {
		t.Fatal(devErr)
	}
	return devBin
}

// runE2E starts the dev-mode app in s with appEnv, then runs one file of
// frontend/e2e with node against its dev server, passing the session's
// folders and testEnv. It returns the app, still running unless the test
// ended it.
func runE2E(t *testing.T, s *session, name, file string, appEnv []string, testEnv ...string) *app {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is missing: %v", err)
	}
	frontend := filepath.Join(repoRoot, "frontend")
	if _, err := os.Stat(filepath.Join(frontend, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("playwright-core is missing (cd frontend && npm ci): %v", err)
	}
	dev := devBinary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	a := s.startBinary(dev, name, append([]string{"devserver=" + addr, "loglevel=Warning"}, appEnv...)...)
	url := "http://" + addr + "/"
	if !waitFor(longWait(45*time.Second), func() bool {
		r, err := http.Get(url)
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	}) {
		t.Fatalf("the dev server did not answer on %s\napp log:\n%s", url, a.log)
	}
	cmd := exec.Command(node, "--test", "--test-reporter=spec", "--test-concurrency=1", filepath.Join("e2e", file))
	cmd.Dir = frontend
	cmd.Env = append(os.Environ(), "CONDUCTOR_E2E_URL="+url, "CONDUCTOR_ARTIFACTS="+artifacts,
		"E2E_HOME="+s.home, "E2E_CONDUCTOR_HOME="+s.conductorHome(), "E2E_NODE="+node,
		fmt.Sprintf("E2E_PORT=%d", s.port), "E2E_BINARY="+dev, "E2E_DENO="+deno)
	cmd.Env = append(cmd.Env, testEnv...)
	out, err := cmd.CombinedOutput()
	fmt.Printf("%s", out)
	if err != nil {
		t.Fatalf("the browser end-to-end test %s failed: %v\napp log:\n%s", file, err, a.log)
	}
	return a
}

func checkCursorEntry(t *testing.T, s *session) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.home, ".cursor", "mcp.json"))
	if err != nil {
		t.Fatalf("Cursor's file: %v", err)
	}
	var cfg struct {
		MCPServers map[string]struct {
			Command string            `json:"command"`
			Args    []string          `json:"args"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("Cursor's file is not JSON: %v\n%s", err, b)
	}
	e, ok := cfg.MCPServers["mcp-conductor"]
	launcher := filepath.Join(s.conductorHome(), "bin", "mcp-conductor")
	if !ok || e.Command != launcher || len(e.Args) != 1 || e.Args[0] != "--stdio" ||
		e.Env["MCP_CONDUCTOR_HOME"] != s.conductorHome() || e.Env["MCP_CONDUCTOR_DENO"] != deno {
		t.Errorf("Cursor's entry:\n%s\nwant command %s --stdio with this home's variables", b, launcher)
	}
	if fi, err := os.Stat(launcher); err != nil || fi.Mode()&0o100 == 0 {
		t.Errorf("the launcher the entry runs: %v", err)
	}
}
