package sandbox

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// setAccess gives a file or folder the access entry l (winaccess.go) for
// the grant SID, unless it has that entry already (an entry on a folder is
// inherited by everything beneath it, and setting it walks the tree). A
// path that does not exist is skipped. A read entry the user may not set
// (a system file the sandbox may run, owned by the system) is skipped too:
// such files are readable through Users already, and otherwise stay
// unreadable, which fails closed.
func setAccess(l winLabel) error {
	if _, err := os.Lstat(l.Path); err != nil {
		return nil
	}
	want, err := parseAccess(l.SDDL)
	if err != nil {
		return err
	}
	sd, err := windows.GetNamedSecurityInfo(l.Path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("read the access list of %s: %w", l.Path, err)
	}
	cur, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("read the access list of %s: %w", l.Path, err)
	}
	if hasEntry(cur, want) {
		return nil
	}
	dacl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: want.Mask, AccessMode: windows.SET_ACCESS, Inheritance: uint32(want.Flags),
		Trustee: windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_UNKNOWN,
			TrusteeValue: windows.TrusteeValueFromSID(want.SID)},
	}}, cur)
	if err != nil {
		return fmt.Errorf("the access list of %s: %w", l.Path, err)
	}
	if want.Flags != 0 && holdsSomething(l.Path) {
		slog.Info("letting the sandbox reach a granted folder; a large one takes a while, once for each policy", "path", l.Path)
	}
	err = windows.SetNamedSecurityInfo(l.Path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
	if err != nil && errors.Is(err, windows.ERROR_ACCESS_DENIED) && want.Mask == readMask {
		slog.Debug("not ours to grant reading; it stays as its owner set it", "path", l.Path)
		return nil
	}
	if err != nil {
		return fmt.Errorf("let the sandbox reach %s: %w", l.Path, err)
	}
	return nil
}

// revokeAccess removes the entries for sid that were set on path (not
// those it inherits, which Windows recomputes from its parent).
func revokeAccess(path, sid string) error {
	s, err := windows.StringToSid(sid)
	if err != nil {
		return err
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("read the access list of %s: %w", path, err)
	}
	cur, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("read the access list of %s: %w", path, err)
	}
	dacl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessMode: windows.REVOKE_ACCESS,
		Trustee:    windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeValue: windows.TrusteeValueFromSID(s)},
	}}, cur)
	if err != nil {
		return fmt.Errorf("the access list of %s: %w", path, err)
	}
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, dacl, nil); err != nil {
		return fmt.Errorf("take the sandbox's access to %s back: %w", path, err)
	}
	return nil
}

// readMask is accessRead as a number.
const readMask = windows.ACCESS_MASK(0x1200a9)

// accessEntry is one allow entry.
type accessEntry struct {
	SID   *windows.SID
	Mask  windows.ACCESS_MASK
	Flags uint8 // inheritance flags (OICI = 3)
}

// parseAccess reads the one entry of an access entry's SDDL.
func parseAccess(sddl string) (accessEntry, error) {
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		return accessEntry{}, fmt.Errorf("access entry %s: %w", sddl, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil || dacl.AceCount != 1 {
		return accessEntry{}, fmt.Errorf("access entry %s: not one entry", sddl)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(dacl, 0, &ace); err != nil {
		return accessEntry{}, fmt.Errorf("access entry %s: %w", sddl, err)
	}
	sid, err := aceSID(ace).Copy()
	if err != nil {
		return accessEntry{}, err
	}
	return accessEntry{SID: sid, Mask: ace.Mask, Flags: ace.Header.AceFlags & 0x0f}, nil
}

// hasEntry reports whether acl holds want as an explicit allow entry.
func hasEntry(acl *windows.ACL, want accessEntry) bool {
	if acl == nil {
		return false
	}
	for i := range uint32(acl.AceCount) {
		var ace *windows.ACCESS_ALLOWED_ACE
		if windows.GetAce(acl, i, &ace) != nil {
			return false
		}
		if ace.Header.AceType == windows.ACCESS_ALLOWED_ACE_TYPE && ace.Header.AceFlags&windows.INHERITED_ACE == 0 &&
			ace.Mask == want.Mask && ace.Header.AceFlags&0x0f == want.Flags && windows.EqualSid(aceSID(ace), want.SID) {
			return true
		}
	}
	return false
}

// aceSID is the SID an allow entry carries after its mask.
func aceSID(ace *windows.ACCESS_ALLOWED_ACE) *windows.SID {
	return (*windows.SID)(unsafe.Pointer(&ace.SidStart))
}

// holdsSomething reports whether the folder dir has anything in it: only
// then does setting an inherited entry or label walk a tree (the private
// folders made for each process are empty, and say nothing).
func holdsSomething(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) > 0
}
