package fsx

import (
	"testing"

	"golang.org/x/sys/windows"
)

// TestOwnerOnlyDescriptorAsWindowsReadsIt: the descriptor Restrict asks
// for is what Windows' own parser makes of OwnerOnlySDDL: protected, owned
// by the current user, one entry allowing that user everything. (Wine 8.0
// parses descriptors but does not keep them on files, so whether a file
// then has it is TestSecretsArePrivate's, on Windows.)
func TestOwnerOnlyDescriptorAsWindowsReadsIt(t *testing.T) {
	me, err := currentUser()
	if err != nil {
		t.Fatal(err)
	}
	sd, err := windows.SecurityDescriptorFromString(OwnerOnlySDDL(me.String(), true))
	if err != nil {
		t.Fatal(err)
	}
	control, _, _ := sd.Control()
	owner, _, _ := sd.Owner()
	dacl, _, err := sd.DACL()
	if err != nil || control&windows.SE_DACL_PROTECTED == 0 || !owner.Equals(me) || dacl.AceCount != 1 {
		t.Fatalf("descriptor %s: control %#x, owner %v, err %v", sd, control, owner, err)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(dacl, 0, &ace); err != nil {
		t.Fatal(err)
	}
	const fileAllAccess = 0x1F01FF
	flags := ace.Header.AceFlags & (windows.OBJECT_INHERIT_ACE | windows.CONTAINER_INHERIT_ACE)
	if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Mask != fileAllAccess || flags != windows.OBJECT_INHERIT_ACE|windows.CONTAINER_INHERIT_ACE {
		t.Errorf("entry: type %d mask %#x flags %#x", ace.Header.AceType, ace.Mask, ace.Header.AceFlags)
	}
}
