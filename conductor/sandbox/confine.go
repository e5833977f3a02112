package sandbox

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LaunchSpec is the kernel confinement and limits a sandbox process starts
// under.
type LaunchSpec struct {
	Confine   bool     // apply kernel confinement
	Require   bool     // fail when confinement is unavailable
	ReadDirs  []string // read (and execute) only
	ReadFiles []string // read (and execute) only
	RWDirs    []string // read and write
	RWFiles   []string // read and write
	NoNet     bool     // no TCP bind/connect at all
	DataLimit uint64   // RLIMIT_DATA in bytes; 0 = unchanged
}

// Confinement describes the kernel layer available on this machine.
type Confinement interface {
	// Available reports whether the kernel can confine the sandbox, with a
	// human-readable description ("Landlock ABI 7", or why not).
	Available() (bool, string)
}

// KernelConfinement returns this platform's kernel confinement.
func KernelConfinement() Confinement { return platformConfinement{} }

// carve returns paths that together cover root except the protected paths
// (and everything beneath them). Landlock can only allow, never deny a
// sub-path, so an allowed folder holding a protected file is granted entry
// by entry around it. Entries created later in such a folder are not
// covered: the result fails closed.
func carve(root string, protected []string) []string {
	root = filepath.Clean(root)
	var inside []string
	for _, p := range protected {
		p = filepath.Clean(p)
		if p == root || isWithin(root, p) {
			return nil // root itself is protected
		}
		if isWithin(p, root) {
			inside = append(inside, p)
		}
	}
	if len(inside) == 0 {
		return []string{root}
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		child := filepath.Join(root, e.Name())
		out = append(out, carve(child, inside)...)
	}
	sort.Strings(out)
	return out
}

// isWithin reports whether path lies strictly inside dir.
func isWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
