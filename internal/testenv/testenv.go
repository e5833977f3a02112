// Package testenv finds the real external programs the tests drive (Deno,
// npm MCP servers) and builds the conductor binary once per test process.
// Outside CI a missing dependency skips the test; with CI=true it fails it.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// RepoRoot returns the repository's root folder.
func RepoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Missing reports a missing dependency: fatal in CI, a skip elsewhere.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("missing test dependency (CI must install it): "+format, args...)
	}
	t.Skipf("missing test dependency: "+format, args...)
}

// Deno returns the real Deno binary: $MCP_CONDUCTOR_DENO, else the one the
// npm package `deno` installed under node_modules (run `make deps`).
func Deno(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("MCP_CONDUCTOR_DENO"); p != "" {
		return p
	}
	p := filepath.Join(RepoRoot(t), "node_modules", "@deno", DenoPackage(), "deno")
	if runtime.GOOS == "windows" {
		p += ".exe"
	}
	if _, err := os.Stat(p); err != nil {
		Missing(t, "deno (run `make deps` or set MCP_CONDUCTOR_DENO): %v", err)
	}
	return p
}

// DenoPackage names the npm package (under @deno/) that holds Deno for this
// platform: linux-x64-glibc, linux-arm64-glibc, darwin-arm64, darwin-x64,
// win32-x64.
func DenoPackage() string {
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	switch runtime.GOOS {
	case "linux":
		return "linux-" + arch + "-glibc"
	case "windows":
		return "win32-" + arch
	}
	return runtime.GOOS + "-" + arch
}

// NodeModule returns the path of an installed npm package's file.
func NodeModule(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "node_modules", rel)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "npm package file %s (run `make deps`): %v", rel, err)
	}
	return p
}

// Node returns the node binary.
func Node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		Missing(t, "node: %v", err)
	}
	return p
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

// Binary builds the mcp-conductor binary once and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mcp-conductor-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "mcp-conductor")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = RepoRoot(t)
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build mcp-conductor: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

var (
	probeOnce sync.Once
	probePath string
	probeErr  error
	probeOut  []byte
)

// Probe builds the sandbox probe (see sandboxprobe) once and returns the
// folder it is in: sandboxed code needs read access to it to run it.
func Probe(t testing.TB) (dir, bin string) {
	t.Helper()
	probeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mcp-conductor-probe-")
		if err != nil {
			probeErr = err
			return
		}
		probePath = filepath.Join(dir, "sandboxprobe")
		cmd := exec.Command("go", "build", "-o", probePath, "./internal/testenv/sandboxprobe")
		cmd.Dir = RepoRoot(t)
		probeOut, probeErr = cmd.CombinedOutput()
	})
	if probeErr != nil {
		t.Fatalf("build the sandbox probe: %v\n%s", probeErr, probeOut)
	}
	return filepath.Dir(probePath), probePath
}
