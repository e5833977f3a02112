package deno

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func pyodideRegistry(t *testing.T, tamper bool) string {
	return testenv.PyodideRegistry(t, PyodideVersion, append(pyodideKeep, "pyodide.d.ts"), tamper)
}

func TestInstallPyodide(t *testing.T) {
	home := t.TempDir()
	env := func(string) string { return "" }
	dir, v, err := InstallPyodide(context.Background(), PyodideOptions{Home: home, Registry: pyodideRegistry(t, false), Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	if v != PyodideVersion || PyodidePackageVersion(dir) != PyodideVersion {
		t.Fatalf("installed %q, folder says %q", v, PyodidePackageVersion(dir))
	}
	for _, f := range pyodideKeep {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pyodide.d.ts")); err == nil {
		t.Error("a file the sandbox does not need was installed")
	}

	// A tampered download installs nothing and keeps what was there.
	marker := filepath.Join(dir, "package.json")
	before, _ := os.ReadFile(marker)
	_, _, err = InstallPyodide(context.Background(), PyodideOptions{Home: home, Registry: pyodideRegistry(t, true), Getenv: env})
	if err == nil || !strings.Contains(err.Error(), "integrity mismatch") {
		t.Fatalf("a tampered tarball: %v", err)
	}
	if after, _ := os.ReadFile(marker); !bytes.Equal(before, after) {
		t.Fatal("the installed runtime changed after a failed install")
	}
}

// TestPyodideVersionIsPinned: the version the install step fetches is the
// one package.json pins for the tests and the bench.
func TestPyodideVersionIsPinned(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
		Dependencies    map[string]string `json:"dependencies"`
	}
	json.Unmarshal(b, &pkg)
	got := pkg.DevDependencies["pyodide"] + pkg.Dependencies["pyodide"]
	if got != PyodideVersion {
		t.Fatalf("package.json pins pyodide %q, the conductor installs %s", got, PyodideVersion)
	}
}
