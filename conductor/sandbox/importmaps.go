package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// importMapIdle is how long an import map no process has started with is
// kept. Deno reads a process's import map when it starts, so a map is in
// use only between its writing and its process's start; an hour covers any
// conductor process that is about to start one, by far.
const importMapIdle = time.Hour

// writeImportMap stores a process's import map (named by its content, so
// every conductor process with the same allowlist and skills shares one)
// and marks it in use, then removes the maps no process started with for
// importMapIdle, so the folder does not grow with every skill saved (one
// ReadDir of a folder of a few files per process started). The folder's lock orders
// marking and pruning between conductor processes: a map is never removed
// between another process's marking it and its Deno reading it.
func writeImportMap(dir string, content []byte) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	unlock, err := fsx.Lock(ctx, filepath.Join(dir, "import-maps.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	path, err := writeOnce(dir, "import-map", ".json", content)
	if err != nil {
		return "", err
	}
	now := time.Now()
	if err := os.Chtimes(path, now, now); err != nil {
		return "", err
	}
	pruneImportMaps(dir, path, now)
	return path, nil
}

// pruneImportMaps removes the import maps in dir other than keep that no
// process started with since now minus importMapIdle. It keeps what it
// cannot judge.
func pruneImportMaps(dir, keep string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, "import-map-") || !strings.HasSuffix(name, ".json") {
			continue
		}
		p := filepath.Join(dir, name)
		if p == keep {
			continue
		}
		if st, err := e.Info(); err != nil || now.Sub(st.ModTime()) < importMapIdle {
			continue
		}
		// Read-only, as every content-named file: Windows removes such a
		// file only once it may be written.
		_ = os.Chmod(p, 0o600)
		_ = os.Remove(p)
	}
}
