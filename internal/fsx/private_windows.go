package fsx

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// restrictPlatform gives path the owner-only security descriptor
// (OwnerOnlySDDL) unless it has it already: setting a folder's access list
// walks everything beneath it, so an unchanged one is left alone.
func restrictPlatform(path string, dir, _ bool) error {
	if ok, err := isPrivatePlatform(path); err == nil && ok {
		return nil
	}
	sid, err := currentUser()
	if err != nil {
		return err
	}
	sd, err := windows.SecurityDescriptorFromString(OwnerOnlySDDL(sid.String(), dir))
	if err != nil {
		return fmt.Errorf("owner-only access list: %w", err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	info := windows.SECURITY_INFORMATION(windows.DACL_SECURITY_INFORMATION | windows.PROTECTED_DACL_SECURITY_INFORMATION | windows.OWNER_SECURITY_INFORMATION)
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, info, sid, nil, dacl, nil)
}

// restrictFile makes a file the conductor just created owner-only, before
// it is renamed into place, when its mode asks for that.
func restrictFile(f *os.File, mode os.FileMode) error {
	if !privateMode(mode) {
		return nil
	}
	return restrictPlatform(f.Name(), false, true)
}

// isPrivatePlatform: the access list is protected and every entry in it
// allows the current user, and no one else.
func isPrivatePlatform(path string) (bool, error) {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return false, err
	}
	control, _, err := sd.Control()
	if err != nil {
		return false, err
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		return false, err // no access list at all: everyone may
	}
	me, err := currentUser()
	if err != nil {
		return false, err
	}
	if control&windows.SE_DACL_PROTECTED == 0 {
		return false, nil
	}
	for i := range uint32(dacl.AceCount) {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return false, err
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			continue // a deny entry takes nothing away from the owner-only check
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !sid.Equals(me) {
			return false, nil
		}
	}
	return true, nil
}

// currentUser is the SID of the user the conductor runs as.
func currentUser() (*windows.SID, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("who runs the conductor: %w", err)
	}
	return u.User.Sid.Copy()
}

// privateMode reports whether mode asks for an owner-only file.
func privateMode(mode os.FileMode) bool { return mode.Perm()&0o077 == 0 }
