package deno

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// PyodideVersion is the Pyodide release the conductor runs Python on: the
// `pyodide` npm package, pinned (exactly) in the repository's package.json.
const PyodideVersion = "314.0.8"

// pyodideKeep are the files of the pyodide npm package the sandbox boots
// from; the rest of the package (type declarations, consoles, source maps)
// is not installed.
var pyodideKeep = []string{"package.json", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}

// maxPyodideFile bounds one extracted file (the wasm module is about 10 MB).
const maxPyodideFile = 256 << 20

// PyodideOptions tune InstallPyodide.
type PyodideOptions struct {
	// Home is the conductor home; "" means config.HomeDir().
	Home string
	// Version is the package version; "" means PyodideVersion.
	Version string
	// Registry replaces the npm registry of the npm configuration.
	Registry string
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Progress, if set, receives progress events.
	Progress func(Progress)
	// Getenv reads the environment (npm settings, HOME); nil is os.Getenv.
	Getenv func(string) string
}

// InstallPyodide downloads the pyodide npm package from the npm registry
// (the user's npm configuration, as for Deno's npm source), checks the
// tarball against the registry's sha512 integrity, and installs the files
// the sandbox needs into config.PyodideDir(home), replacing what was there
// only once everything is verified. It returns the folder and version.
func InstallPyodide(ctx context.Context, opts PyodideOptions) (dir, version string, err error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	client := opts.Client
	if client == nil {
		client = http.DefaultClient
	}
	home := opts.Home
	if home == "" {
		if home, err = config.HomeDir(); err != nil {
			return "", "", err
		}
	}
	version = opts.Version
	if version == "" {
		version = PyodideVersion
	}
	final := config.PyodideDir(home)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", "", fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp)

	d := &downloader{client: client, progress: opts.Progress}
	tgz := filepath.Join(tmp, "pyodide.tgz")
	if _, err := npmTarball(ctx, d, getenv, opts.Registry, "pyodide", version, tgz); err != nil {
		return "", "", err
	}
	d.emit(Progress{Phase: "extract"})
	pkg := filepath.Join(tmp, "pkg")
	if err := untarPyodide(tgz, pkg); err != nil {
		return "", "", err
	}
	if got := PyodidePackageVersion(pkg); got != version {
		return "", "", fmt.Errorf("the downloaded package says it is pyodide %q, not %s; nothing was installed", got, version)
	}
	if err := fsx.ReplaceDir(pkg, final, filepath.Join(tmp, "replaced")); err != nil {
		return "", "", fmt.Errorf("install into %s: %w", final, err)
	}
	d.emit(Progress{Phase: "done"})
	return final, version, nil
}

// untarPyodide extracts the files the sandbox needs (pyodideKeep) from the
// package tarball into outDir; a tarball without one of them is refused.
func untarPyodide(tgz, outDir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("open the pyodide tarball: %w", err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	found := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read the pyodide tarball: %w", err)
		}
		name, ok := strings.CutPrefix(hdr.Name, "package/")
		if !ok || hdr.Typeflag != tar.TypeReg || !slices.Contains(pyodideKeep, name) || found[name] {
			continue
		}
		if hdr.Size > maxPyodideFile {
			return fmt.Errorf("the pyodide tarball's %s is %d bytes, more than Pyodide's files can be", name, hdr.Size)
		}
		b, err := io.ReadAll(io.LimitReader(tr, maxPyodideFile))
		if err != nil {
			return fmt.Errorf("read %s from the pyodide tarball: %w", name, err)
		}
		if err := fsx.WriteFile(filepath.Join(outDir, name), b, 0o644); err != nil {
			return err
		}
		found[name] = true
	}
	for _, name := range pyodideKeep {
		if !found[name] {
			return fmt.Errorf("the pyodide tarball has no %s; nothing was installed", name)
		}
	}
	return nil
}

// PyodidePackageVersion is the version a Pyodide folder's package.json
// names; "" when it names none.
func PyodidePackageVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct {
		Name, Version string
	}
	if json.Unmarshal(b, &pkg) != nil || pkg.Name != "pyodide" {
		return ""
	}
	return pkg.Version
}
