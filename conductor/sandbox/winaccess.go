package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Reads on Windows, as data (tested on every platform by winaccess_test.go;
// access_windows.go makes the system calls).
//
// A low-integrity token may still read whatever its user may read. So the
// confined process's token also carries restricting SIDs
// (CreateRestrictedToken's SidsToRestrict): Windows then checks every
// access twice, once with the token's own groups and once with the
// restricting SIDs alone, and grants it only when both checks do. The
// restricting SIDs are those Windows itself gives its system files, the
// registry and the session's objects to (Everyone, Users, Authenticated
// Users, RESTRICTED, the logon session), and the grant SID, which is this
// conductor's own; never the user's SID. What only the user may open (the
// profile: documents, keys, browsers' data, other programs' settings) is
// out of reach, and each place the sandbox may read or write gets an
// access entry for the grant SID. As with labels, the check is made on the
// object reached, so a symbolic link, a junction or a hard link leads
// nowhere new.
//
// What stays readable is what every user of the machine may read already
// (folders at a drive's root inherit "Authenticated Users" by default).

// Well-known SIDs in the restricting set.
const (
	sidEveryone      = "S-1-1-0"
	sidUsers         = "S-1-5-32-545"
	sidAuthenticated = "S-1-5-11"
	sidRestricted    = "S-1-5-12"
	// sidLogon stands for the logon session's SID, which only the running
	// token knows (token_windows.go puts it in).
	sidLogon = "logon"
)

// The access masks of the entries, as SDDL writes them.
const (
	accessRead   = "0x1200a9" // FILE_GENERIC_READ | FILE_GENERIC_EXECUTE
	accessModify = "0x1301bf" // read, write, execute and delete ("Modify")
)

// grantSID is the SID the access entries of the conductor at home name.
// It is derived from the home's path, so that it is the same at every
// start and differs between conductors, in the resource-manager authority
// (S-1-9), which Windows leaves to programs for SIDs of their own:
// eight words of SHA-256, as Windows derives capability SIDs from names.
func grantSID(home string) string {
	sum := sha256.Sum256([]byte("mcp-conductor grant " + strings.ToLower(filepath.Clean(home))))
	var b strings.Builder
	b.WriteString("S-1-9")
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, "-%d", binary.LittleEndian.Uint32(sum[4*i:]))
	}
	return b.String()
}

// readsConfined reports whether the token restricts reads for spec: not
// when the probe found that it stops Deno (spec.OpenReads), nor when code
// may read a whole drive anyway.
func readsConfined(spec LaunchSpec) bool {
	if spec.OpenReads || len(spec.Private) == 0 {
		return false
	}
	for _, p := range spec.ReadRoots {
		if filepath.Dir(p) == p {
			return false
		}
	}
	return true
}

// restrictingSIDs is the restricting set for a conductor at home.
func restrictingSIDs(home string) []string {
	return []string{sidEveryone, sidUsers, sidAuthenticated, sidRestricted, sidLogon, grantSID(home)}
}

// windowsAccess are the access entries for spec (filled by fillRules), as
// one-entry SDDL DACLs in winLabel form: modify for what code may write,
// read for what it (and Deno) may read. None when reads are not confined.
func windowsAccess(spec LaunchSpec) []winLabel {
	if !readsConfined(spec) {
		return nil
	}
	sid := grantSID(spec.Private[0])
	var pl onePerPath
	add := func(path, mask string, dir bool) {
		flags := ""
		if dir {
			flags = "OICI"
		}
		pl.add(path, fmt.Sprintf("D:(A;%s;%s;;;%s)", flags, mask, sid))
	}
	for _, p := range slices.Concat(spec.WriteRoots, spec.RWDirs, spec.GrantedRWDirs) {
		add(p, accessModify, true)
	}
	for _, p := range spec.RWFiles {
		add(p, accessModify, false)
	}
	for _, p := range slices.Concat(spec.ReadRoots, spec.ReadDirs, []string{spec.WorkDir}) {
		add(p, accessRead, true)
	}
	for _, p := range slices.Concat(spec.ReadFiles, spec.Exec) {
		add(p, accessRead, !looksLikeFile(p))
	}
	return pl.out
}

// isAccessEntry tells an access entry from a label: a DACL, not a SACL.
func isAccessEntry(l winLabel) bool { return strings.HasPrefix(l.SDDL, "D:") }

// accessSID is the SID an access entry names.
func accessSID(sddl string) string {
	i := strings.LastIndexByte(sddl, ';')
	return strings.TrimSuffix(sddl[i+1:], ")")
}
