//go:build gui

package guitest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestBrowserDrivesBackendInDevMode builds the app in Wails' dev mode, which
// serves the frontend and the Go bindings over HTTP beside the window, and
// runs the frontend's end-to-end smoke test in headless Chromium against it.
func TestBrowserDrivesBackendInDevMode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is missing: %v", err)
	}
	frontend, err := filepath.Abs("../../frontend")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(frontend, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("playwright-core is missing (cd frontend && npm ci): %v", err)
	}

	dev := os.Getenv("CONDUCTOR_GUI_DEV_BINARY")
	if dev == "" {
		dev = filepath.Join(t.TempDir(), "mcp-conductor-dev")
		t.Log("building the dev-mode app (go build -tags desktop,dev,webkit2_41)")
		out, err := exec.Command("go", "build", "-tags", "desktop,dev,webkit2_41", "-o", dev,
			"github.com/mcp-conductor/mcp-conductor").CombinedOutput()
		if err != nil {
			t.Fatalf("building the dev-mode app: %v\n%s", err, out)
		}
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	s := newSession(t)
	a := s.startBinary(dev, "dev-mode", "devserver="+addr, "loglevel=Warning")
	url := "http://" + addr + "/"
	if !waitFor(45*time.Second, func() bool {
		r, err := http.Get(url)
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	}) {
		t.Fatalf("the dev server did not answer on %s\napp log:\n%s", url, a.log)
	}

	cmd := exec.Command(node, "--test", "--test-reporter=spec", "e2e/")
	cmd.Dir = frontend
	cmd.Env = append(os.Environ(), "CONDUCTOR_E2E_URL="+url, "CONDUCTOR_ARTIFACTS="+artifacts)
	out, err := cmd.CombinedOutput()
	fmt.Printf("%s", out)
	if err != nil {
		t.Fatalf("the browser end-to-end test failed: %v\napp log:\n%s", err, a.log)
	}

	a.cmd.Process.Signal(syscall.SIGTERM)
	if code, err := a.wait(15 * time.Second); err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}
