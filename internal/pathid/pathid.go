// Package pathid compares file-system paths by what they lead to, not by how
// they are spelled. A folder reached through a symbolic link, a bind mount or
// its real path is one folder; every security decision about paths in the
// conductor goes through this package.
//
// It is written here because the standard library only has the pieces
// (filepath.EvalSymlinks, os.SameFile): resolving a path whose last parts do
// not exist yet, and finding a folder among a path's ancestors by identity,
// are what the sandbox's policy needs and no library offers.
package pathid

import (
	"os"
	"path/filepath"
	"strings"
)

// Resolve returns the absolute, symlink-free form of p. Components that do
// not exist yet are kept, appended to the resolved form of the deepest
// ancestor that does, so a file about to be created resolves to where it
// will be created. p is cleaned first (as Deno cleans the paths it checks).
func Resolve(p string) string {
	p = abs(p)
	var rest []string
	for cur := p; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return p
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
		cur = parent
	}
}

// Aliases returns the spellings under which p is known: p itself (absolute
// and cleaned) and its resolved form, without duplicates.
func Aliases(p string) []string {
	p = abs(p)
	if r := Resolve(p); r != p {
		return []string{p, r}
	}
	return []string{p}
}

// Within reports whether path lies at or beneath dir, judged by what both
// lead to: first by their resolved spellings, then by identity (device and
// inode, through os.SameFile), so that a folder reachable under two names
// (a bind mount, say) still contains what lies beneath either. rel is path's
// place relative to dir ("." when they are the same).
func Within(path, dir string) (rel string, ok bool) {
	rp, rd := Resolve(path), Resolve(dir)
	if rel, ok := lexicallyWithin(rp, rd); ok {
		return rel, true
	}
	dirInfo, err := os.Stat(rd)
	if err != nil || !dirInfo.IsDir() {
		return "", false
	}
	for cur := rp; ; {
		if fi, err := os.Stat(cur); err == nil && os.SameFile(fi, dirInfo) {
			r, err := filepath.Rel(cur, rp)
			return r, err == nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return "", false
		}
		cur = parent
	}
}

// Place is a path as it was when Snap was called: its resolved spelling
// and, if it existed, its identity. A Place keeps meaning what it meant
// then: a link made later to lead it elsewhere does not move it.
type Place struct {
	Real string      // resolved spelling at the time
	info os.FileInfo // identity at the time; nil if it did not exist
}

// Snap records what p leads to now.
func Snap(p string) Place {
	pl := Place{Real: Resolve(p)}
	if fi, err := os.Stat(pl.Real); err == nil {
		pl.info = fi
	}
	return pl
}

// Holds reports whether path, resolved now, lies at or beneath the place:
// by spelling, or by identity with the folder or file the place was.
func (pl Place) Holds(path string) bool {
	rp := Resolve(path)
	if _, ok := lexicallyWithin(rp, pl.Real); ok {
		return true
	}
	if pl.info == nil {
		return false
	}
	for cur := rp; ; {
		if fi, err := os.Stat(cur); err == nil && os.SameFile(fi, pl.info) {
			return true
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return false
		}
		cur = parent
	}
}

// Same reports whether a and b lead to the same file or folder.
func Same(a, b string) bool {
	rel, ok := Within(a, b)
	return ok && rel == "."
}

// lexicallyWithin reports whether path is dir or beneath it, by spelling.
func lexicallyWithin(path, dir string) (string, bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}
