package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// runDirPrefix starts the name of every process's private folder; the
// conductor's process id follows, so a later start can remove folders a
// conductor that died left behind.
const runDirPrefix = "mcp-conductor-run-"

// runDir is one sandbox process's private folder, removed when its
// execution ends (the zero runDir has none: nothing to make or remove):
//   - deno/ is the process's DENO_DIR where no kernel layer keeps the shared
//     cache read-only. Deno keeps its own state there (localStorage, the
//     Cache API, its SQLite caches); the shared parts of the package cache
//     (npm/, remote/, …) are links into the conductor's cache. So whatever
//     the code stores through web storage vanishes with the execution. Under
//     the kernel layer the shared cache is read-only and web storage fails
//     instead, at no cost per process.
//   - tmp/ is its TMPDIR, made only when the administrator lets code write
//     files at all.
type runDir struct {
	root, denoDir, tmp string // denoDir "": Deno works in the shared cache
}

// privateDenoEntries are the parts of a DENO_DIR that must never be shared
// between executions: web storage, and the emit cache Deno writes while
// loading modules.
var privateDenoEntries = map[string]bool{"location_data": true, "gen": true}

func newRunDir(cache string, withDeno, withTmp bool) (*runDir, error) {
	if !withDeno && !withTmp {
		return &runDir{}, nil
	}
	root, err := os.MkdirTemp("", runDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("private folder: %w", err)
	}
	r := &runDir{root: root}
	fail := func(err error) (*runDir, error) {
		os.RemoveAll(root)
		return nil, fmt.Errorf("private folder: %w", err)
	}
	if withTmp {
		r.tmp = filepath.Join(root, "tmp")
		if err := os.Mkdir(r.tmp, 0o700); err != nil {
			return fail(err)
		}
	}
	if !withDeno {
		return r, nil
	}
	r.denoDir = filepath.Join(root, "deno")
	if err := os.Mkdir(r.denoDir, 0o700); err != nil {
		return fail(err)
	}
	entries, err := os.ReadDir(cache)
	if err != nil {
		return fail(err)
	}
	for _, e := range entries {
		if !e.IsDir() || privateDenoEntries[e.Name()] {
			continue
		}
		target, link := filepath.Join(cache, e.Name()), filepath.Join(r.denoDir, e.Name())
		if err := linkDir(target, link); err != nil || !leadsTo(link, target) {
			// A system that cannot make the link, or makes one that leads
			// nowhere (Wine 8.0's junctions): Deno then works in the
			// shared cache.
			r.denoDir = ""
			break
		}
	}
	return r, nil
}

// leadsTo reports whether the link leads to target's folder.
func leadsTo(link, target string) bool {
	a, err := os.Stat(link)
	if err != nil {
		return false
	}
	b, err := os.Stat(target)
	return err == nil && os.SameFile(a, b)
}

func (r *runDir) remove() {
	if r.root != "" {
		os.RemoveAll(r.root)
	}
}

// sweepRunDirs removes private folders left behind by conductors that are
// no longer running (killed before they could clean up).
func sweepRunDirs() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), runDirPrefix+"*-*"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), runDirPrefix)
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(m)
	}
}
