package sandbox

import (
	"path/filepath"
	"strings"
)

// LaunchSpec is the kernel confinement and limits a sandbox process starts
// under.
type LaunchSpec struct {
	Confine   bool     // apply kernel confinement
	Require   bool     // fail when confinement is unavailable
	ReadDirs  []string // read (and execute) only
	ReadFiles []string // read (and execute) only
	RWDirs    []string // read and write (the process's private folder)
	// GrantedRWDirs are read and write, and may hold unix sockets code
	// connects to: the administrator's write grants.
	GrantedRWDirs []string
	RWFiles       []string // read and write
	NoNet         bool     // no network at all (allow-net not granted)
	Sys           bool     // allow-sys granted (system information, e.g. network interfaces)
	Filter        bool     // load the seccomp socket filter (every mode but confinement "off")

	// For kernel layers that can exclude (Seatbelt): the grants whole,
	// resolved, and the protected places to exclude from them.
	ReadRoots, WriteRoots []string
	NoRead, NoWrite       []string
	Exec                  []string // programs the process may start (Deno itself first)
	ExecAll               bool     // allow-run without a list
	Run                   bool     // allow-run granted at all
	DataLimit             uint64   // RLIMIT_DATA in bytes; 0 = unchanged

	// For Windows' labels (winplan.go): the conductor's own files and
	// folders, which code may not even read (its home first), and the
	// working folder, which Deno must be able to open.
	Private []string
	WorkDir string
	// OpenReads leaves reads to Deno's checks under Windows' layer (no
	// restricting SIDs, winaccess.go): the probe found that confining
	// them stops Deno on this machine.
	OpenReads bool
	// Policy tells this process's policies apart in the record of the
	// labels given to the administrator's folders (labelrecord.go).
	Policy uint64
}

// Confinement describes the kernel layer available on this machine.
type Confinement interface {
	// Available reports whether the kernel can confine the sandbox, with a
	// human-readable description ("Landlock ABI 7", or why not).
	Available() (bool, string)
}

// KernelConfinement returns this platform's kernel confinement.
func KernelConfinement() Confinement { return platformConfinement{} }

// isWithin reports whether path lies strictly inside dir.
func isWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
