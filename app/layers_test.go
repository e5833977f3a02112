package app

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// conductorPkgs is where the engine's packages live.
const conductorPkgs = "github.com/mcp-conductor/mcp-conductor/conductor/"

// TestOnlyTheBackendImportsTheConductor enforces the layering that
// docs/architecture.md states with
//
//	go list -f '{{join .Imports "\n"}}' ./app ./app/tray | grep /conductor/
//
// printing nothing: the bindings, the tray and every other package of the
// app reach the conductor through app/backend alone. It reads the import
// lists of each package's files (tests aside) for every platform, with and
// without the desktop build, as go list would.
func TestOnlyTheBackendImportsTheConductor(t *testing.T) {
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path == "backend" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(dirs, ".") || !slices.Contains(dirs, "tray") {
		t.Fatalf("walked %v: not the app's folder", dirs)
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, tags := range [][]string{nil, {"desktop", "production", "webkit2_41"}} {
			ctx := build.Default
			ctx.GOOS, ctx.BuildTags, ctx.CgoEnabled = goos, tags, true
			for _, dir := range dirs {
				pkg, err := ctx.ImportDir(dir, 0)
				if _, none := err.(*build.NoGoError); none {
					continue
				}
				if err != nil {
					t.Fatalf("%s (%s %v): %v", dir, goos, tags, err)
				}
				for _, imp := range pkg.Imports {
					if strings.HasPrefix(imp, conductorPkgs) {
						t.Errorf("app/%s (%s, tags %v) imports %s: go through app/backend", dir, goos, tags, imp)
					}
				}
			}
		}
	}
}
