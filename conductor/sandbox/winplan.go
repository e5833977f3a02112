package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// The Windows kernel layer (confine_windows.go) is described here as plain
// data, so that what it asks Windows for is tested on every platform
// (winplan_test.go); the Windows files only turn it into system calls.
//
// Every sandbox process runs in a Job Object of its own and, with
// confinement, with a restricted token at low integrity level:
//
//   - The job kills the whole tree when the conductor closes it (or dies),
//     caps the tree's committed memory (the Windows counterpart of
//     RLIMIT_DATA: ArrayBuffers outside V8's heap count), caps how many
//     processes may live in it (one, Deno, without allow-run), and keeps it
//     off other programs' windows, the clipboard and global atoms.
//   - The token has no privileges but "bypass traverse checking"
//     (DISABLE_MAX_PRIVILEGE), the Administrators group only for deny, and
//     the low integrity level. Windows' mandatory integrity control then
//     lets the process write only objects labelled low (no-write-up is the
//     default for every object), and open no process of a higher level:
//     not the conductor (Deno.kill(Deno.ppid) fails), nor the user's other
//     programs. Because the check is made on the object reached, not on the
//     path, a symbolic link, junction or hard link leads nowhere new.
//   - Labels (a mandatory label ACE in the object's SACL) say where it may
//     write and what it may not even read: the grants for writing and the
//     private folders are labelled low; the conductor's files and folder
//     medium with no-read-up, so the sandbox cannot read them either; what
//     Deno must read inside those (its binary, the bootstrap, the import
//     map, the lockfile, the package cache) medium without no-read-up.
//     Explicit labels come before inherited ones in a SACL, and the first
//     label counts.
//
// Reads are confined by the token's restricting SIDs and access entries
// (winaccess.go); the network is left to Deno's checks (see
// docs/windows.md).

// winLabel is one mandatory label the layer sets, as SDDL.
type winLabel struct {
	Path string
	SDDL string // for example "S:(ML;OICI;NW;;;LW)"
}

// The labels, as SDDL SACLs: ML a mandatory label; OICI inherited by files
// and folders made inside; NW no-write-up, NR no-read-up; LW low, ME medium.
const (
	labelWritable       = "S:(ML;OICI;NW;;;LW)" // a folder the sandbox may write
	labelWritableFile   = "S:(ML;;NW;;;LW)"
	labelReadable       = "S:(ML;OICI;NW;;;ME)" // readable, never writable (inside a no-read-up place)
	labelReadableFile   = "S:(ML;;NW;;;ME)"
	labelUnreadable     = "S:(ML;OICI;NWNR;;;ME)" // neither readable nor writable
	labelUnreadableFile = "S:(ML;;NWNR;;;ME)"
)

// maxJobProcesses bounds the processes of one execution with allow-run
// (Deno and everything it starts, at once).
const maxJobProcesses = 64

// winJob is the Job Object of one sandbox process.
type winJob struct {
	KillOnClose       bool     // JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	DieOnUnhandled    bool     // JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION: no crash dialog waits
	ActiveProcesses   uint32   // JOB_OBJECT_LIMIT_ACTIVE_PROCESS
	JobMemory         uint64   // JOB_OBJECT_LIMIT_JOB_MEMORY, bytes; 0 = none
	UIRestrictions    []string // JOB_OBJECT_UILIMIT_* names
	BreakawayAllowed  bool     // never: a child cannot leave the job
	SilentBreakawayOK bool     // never
}

// winToken is the restricted token a confined process runs with.
type winToken struct {
	Integrity           string   // mandatory level SID: "S-1-16-4096" is low
	DisableMaxPrivilege bool     // CreateRestrictedToken(DISABLE_MAX_PRIVILEGE)
	DenyOnly            []string // groups kept for deny only
	// Restricting are the restricting SIDs (winaccess.go), sidLogon for
	// the logon session's; none: reads are not confined.
	Restricting []string
	// DefaultDACL, with Restricting, is the access list of what the
	// process makes without one of its own (pipes, threads), as SDDL with
	// "USER" for the user's SID: the grant SID must be in it, or the
	// process could not open its own objects.
	DefaultDACL string
}

// uiRestrictions keep sandboxed programs off the desktop's shared state.
var uiRestrictions = []string{"DESKTOP", "DISPLAYSETTINGS", "EXITWINDOWS", "GLOBALATOMS", "HANDLES", "READCLIPBOARD", "SYSTEMPARAMETERS", "WRITECLIPBOARD"}

// windowsJob is the job every sandbox process runs in, confined or not.
func windowsJob(spec LaunchSpec) winJob {
	j := winJob{KillOnClose: true, DieOnUnhandled: true, ActiveProcesses: 1, JobMemory: spec.DataLimit, UIRestrictions: uiRestrictions}
	if spec.Run {
		j.ActiveProcesses = maxJobProcesses
	}
	return j
}

// windowsToken is the token of a confined process under spec.
func windowsToken(spec LaunchSpec) *winToken {
	t := &winToken{Integrity: "S-1-16-4096", DisableMaxPrivilege: true, DenyOnly: []string{"S-1-5-32-544"}}
	if readsConfined(spec) {
		sid := grantSID(spec.Private[0])
		t.Restricting = restrictingSIDs(spec.Private[0])
		t.DefaultDACL = "D:(A;;GA;;;USER)(A;;GA;;;SY)(A;;GA;;;" + sid + ")"
	}
	return t
}

// windowsLabels are the labels for spec (filled by fillRules). Order
// matters only for reading the plan: each path gets one label.
func windowsLabels(spec LaunchSpec) []winLabel {
	var pl onePerPath
	add := func(path, dirLabel, fileLabel string, dir bool) {
		l := fileLabel
		if dir {
			l = dirLabel
		}
		pl.add(path, l)
	}
	// Writable first: a write grant inside the conductor's folder (the
	// workspace) keeps its own label.
	for _, p := range slices.Concat(spec.WriteRoots, spec.RWDirs, spec.GrantedRWDirs) {
		add(p, labelWritable, labelWritableFile, true)
	}
	for _, p := range spec.RWFiles {
		add(p, labelWritable, labelWritableFile, false)
	}
	unreadable := spec.Private
	inside := func(p string) bool {
		for _, u := range unreadable {
			if p == u || isWithin(p, u) {
				return true
			}
		}
		return false
	}
	// What Deno reads inside an unreadable place (its binary in the
	// conductor's runtime folder, the bootstrap, the cache, its working
	// folder) is labelled readable; elsewhere reading needs no label.
	for _, p := range slices.Concat(spec.ReadDirs, spec.ReadRoots, []string{spec.WorkDir}) {
		if inside(p) {
			add(p, labelReadable, labelReadableFile, true)
		}
	}
	for _, p := range spec.ReadFiles { // files, but for the npm settings' folder
		if inside(p) {
			add(p, labelReadable, labelReadableFile, !looksLikeFile(p))
		}
	}
	for _, p := range unreadable {
		add(p, labelUnreadable, labelUnreadableFile, !looksLikeFile(p))
	}
	return pl.out
}

// onePerPath collects a plan's entries, one for each path (Windows' names
// are case-insensitive): the first one asked for wins.
type onePerPath struct {
	seen map[string]bool
	out  []winLabel
}

func (pl *onePerPath) add(path, sddl string) {
	k := labelKey(path)
	if path == "" || pl.seen[k] {
		return
	}
	if pl.seen == nil {
		pl.seen = map[string]bool{}
	}
	pl.seen[k] = true
	pl.out = append(pl.out, winLabel{Path: path, SDDL: sddl})
}

// looksLikeFile guesses, for a path that may not exist yet, whether it is a
// file: the label of a file must not carry inheritance flags.
func looksLikeFile(p string) bool {
	if fi, err := os.Stat(p); err == nil {
		return !fi.IsDir()
	}
	return filepath.Ext(p) != ""
}

// privatePlaces are the places Windows' labels make unreadable to the
// sandbox: the conductor's folder, and each of its files and folders that
// code may not read (programs are readable: allow-run may run them).
func privatePlaces(home string, pr protection) []string {
	out := []string{pathid.Resolve(home)}
	for _, x := range pr.items {
		if x.Access != config.NoAccess || x.Program {
			continue
		}
		if r := pathid.Resolve(x.Path); !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// refuseWholeDrives refuses write grants the labels cannot carry: a whole
// drive (allow-write without a list, or a drive's root) would be
// relabelled file by file, and stay writable to every low-integrity
// program on the machine.
func refuseWholeDrives(spec LaunchSpec) error {
	for _, p := range spec.WriteRoots {
		if filepath.Dir(p) == p {
			return fmt.Errorf("write access to all of %s cannot be confined on Windows (every file there would be labelled writable for low-integrity programs); grant folders instead, or set %s=off", p, config.EnvConfinement)
		}
	}
	return nil
}
