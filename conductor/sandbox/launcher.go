package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LauncherArg is the hidden first argument with which the conductor's binary
// re-executes itself as the sandbox launcher: it confines its own process with
// the kernel, sets resource limits, and then replaces itself with Deno. The
// confinement is inherited by Deno and everything Deno starts.
const LauncherArg = "__sandbox-launch"

// LaunchSpec is what the launcher applies before exec'ing Deno.
type LaunchSpec struct {
	Confine   bool     `json:"confine,omitempty"`   // apply kernel confinement
	Require   bool     `json:"require,omitempty"`   // fail when confinement is unavailable
	ReadDirs  []string `json:"readDirs,omitempty"`  // read (and execute) only
	ReadFiles []string `json:"readFiles,omitempty"` // read (and execute) only
	RWDirs    []string `json:"rwDirs,omitempty"`    // read and write
	RWFiles   []string `json:"rwFiles,omitempty"`   // read and write
	NoNet     bool     `json:"noNet,omitempty"`     // no TCP bind/connect at all
	DataLimit uint64   `json:"dataLimit,omitempty"` // RLIMIT_DATA in bytes; 0 = unchanged
}

// LauncherMain runs the launcher. args are the spec (JSON) followed by the
// program and its arguments. It does not return: it execs or exits.
func LauncherMain(args []string) {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "sandbox launcher: missing spec or program")
		os.Exit(125)
	}
	var spec LaunchSpec
	if err := json.Unmarshal([]byte(args[0]), &spec); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox launcher: bad spec:", err)
		os.Exit(125)
	}
	if err := setLimits(spec); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox launcher: limits:", err)
		os.Exit(125)
	}
	if spec.Confine {
		if err := confineSelf(spec); err != nil {
			if spec.Require {
				fmt.Fprintln(os.Stderr, "sandbox launcher: kernel confinement failed:", err)
				os.Exit(125)
			}
		}
	}
	err := execProgram(args[1], args[1:])
	fmt.Fprintln(os.Stderr, "sandbox launcher: exec:", err)
	os.Exit(126)
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
