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

// EnvPrebuilt names a folder of programs built beforehand (mcp-conductor,
// sandboxprobe; .exe on Windows) that the tests use instead of building
// them: the Wine lane cross-compiles them on Linux.
const EnvPrebuilt = "MCP_CONDUCTOR_TEST_PREBUILT"

// built are the programs built once per test process, by package.
var built sync.Map // package → *build

type build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildOnce builds the Go package pkg (relative to the repository) once
// per test process into a program named name, and returns its path.
func buildOnce(t testing.TB, pkg, name string) string {
	t.Helper()
	if dir := os.Getenv(EnvPrebuilt); dir != "" {
		// Cross-compiled beforehand (the Wine lane has no Go toolchain
		// inside Windows): use those programs, never build.
		p := filepath.Join(dir, name)
		if runtime.GOOS == "windows" {
			p += ".exe"
		}
		if _, err := os.Stat(p); err != nil {
			Missing(t, "%s from %s=%s: %v", name, EnvPrebuilt, dir, err)
		}
		return p
	}
	v, _ := built.LoadOrStore(pkg, &build{})
	b := v.(*build)
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "mcp-conductor-"+name+"-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, name)
		if runtime.GOOS == "windows" {
			b.path += ".exe"
		}
		cmd := exec.Command("go", "build", "-o", b.path, pkg)
		cmd.Dir = RepoRoot(t)
		b.out, b.err = cmd.CombinedOutput()
	})
	if b.err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, b.err, b.out)
	}
	return b.path
}

// Binary builds the mcp-conductor binary once and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	return buildOnce(t, ".", "mcp-conductor")
}

// Probe builds the sandbox probe (see sandboxprobe) once and returns the
// folder it is in (sandboxed code needs read access to it to run it) and
// its path.
func Probe(t testing.TB) (dir, bin string) {
	t.Helper()
	bin = buildOnce(t, "./internal/testenv/sandboxprobe", "sandboxprobe")
	return filepath.Dir(bin), bin
}

// Pyodide returns the Pyodide runtime's folder: $MCP_CONDUCTOR_PYODIDE,
// else the npm package `pyodide` pinned in the root package.json (run
// `make deps`).
func Pyodide(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("MCP_CONDUCTOR_PYODIDE"); p != "" {
		return p
	}
	return filepath.Dir(NodeModule(t, filepath.Join("pyodide", "pyodide.asm.wasm")))
}
