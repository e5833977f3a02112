package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// setLabel gives a file or folder its mandatory label, unless it has that
// label already (a folder's new label walks everything beneath it), or,
// for an access entry (winaccess.go), that entry. A path that does not
// exist is skipped.
func setLabel(l winLabel) error {
	if isAccessEntry(l) {
		return setAccess(l)
	}
	if _, err := os.Lstat(l.Path); err != nil {
		return nil
	}
	if cur, err := windows.GetNamedSecurityInfo(l.Path, windows.SE_FILE_OBJECT, windows.LABEL_SECURITY_INFORMATION); err == nil &&
		strings.Contains(cur.String(), strings.TrimPrefix(l.SDDL, "S:")) {
		return nil
	}
	sd, err := windows.SecurityDescriptorFromString(l.SDDL)
	if err != nil {
		return fmt.Errorf("label %s: %w", l.SDDL, err)
	}
	sacl, _, err := sd.SACL()
	if err != nil {
		return fmt.Errorf("label %s: %w", l.SDDL, err)
	}
	if strings.Contains(l.SDDL, "OICI") && holdsSomething(l.Path) {
		slog.Info("labelling a folder for the sandbox; a large one takes a while, once for each policy", "path", l.Path)
	}
	if err := windows.SetNamedSecurityInfo(l.Path, windows.SE_FILE_OBJECT, windows.LABEL_SECURITY_INFORMATION, nil, nil, nil, sacl); err != nil {
		return fmt.Errorf("label %s for the sandbox (%s): %w", l.Path, l.SDDL, err)
	}
	return nil
}

// getLabel is the object's label part of its security descriptor, as
// Windows writes it (inherited label entries carry "ID").
func getLabel(path string) (string, error) {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.LABEL_SECURITY_INFORMATION)
	if err != nil {
		return "", err
	}
	return sd.String(), nil
}

// restoreLabel gives an object back the label getLabel read. Windows
// recomputes the inherited entries from the parent (they are not taken
// from what is passed), so an object that only inherited its label before
// inherits it again; one that had none ends with an empty label list.
func restoreLabel(path, before string) error {
	sacl := emptyACL()
	protected := false
	if before != "" {
		sd, err := windows.SecurityDescriptorFromString(before)
		if err != nil {
			return fmt.Errorf("the earlier label of %s (%s): %w", path, before, err)
		}
		if s, _, err := sd.SACL(); err == nil && s != nil {
			sacl = s
		}
		if ctl, _, err := sd.Control(); err == nil {
			protected = ctl&windows.SE_SACL_PROTECTED != 0
		}
	}
	info := windows.SECURITY_INFORMATION(windows.LABEL_SECURITY_INFORMATION)
	if protected {
		info |= windows.PROTECTED_SACL_SECURITY_INFORMATION
	} else {
		info |= windows.UNPROTECTED_SACL_SECURITY_INFORMATION
	}
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, info, nil, nil, nil, sacl); err != nil {
		return fmt.Errorf("give %s its earlier label back: %w", path, err)
	}
	return nil
}

// restoreRecorded gives back what the record says was set on r.Path: the
// earlier label, or no access entry for the grant SID.
func restoreRecorded(r recordedLabel) error {
	if isAccessEntry(winLabel{Path: r.Path, SDDL: r.SDDL}) {
		return revokeAccess(r.Path, accessSID(r.SDDL))
	}
	return restoreLabel(r.Path, r.Before)
}

// emptyACL is an ACL with no entries: the 8-byte header of revision 2
// (x/sys/windows has no InitializeAcl).
func emptyACL() *windows.ACL {
	b := make([]uint64, 1) // 8 bytes, aligned
	h := (*[8]byte)(unsafe.Pointer(&b[0]))
	h[0] = 2 // ACL_REVISION
	h[2] = 8 // AclSize, little endian
	return (*windows.ACL)(unsafe.Pointer(&b[0]))
}

// labelTimeout bounds the wait for another conductor process's hold on
// the record.
const labelTimeout = 30 * time.Second

// setPolicyLabels sets a policy's labels through the record of labels
// given to folders outside the conductor's (labelrecord.go); with want
// empty it releases the policy's.
func setPolicyLabels(spec LaunchSpec, want []winLabel) error {
	if len(spec.Private) == 0 {
		for _, l := range want {
			if err := setLabel(l); err != nil {
				return err
			}
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), labelTimeout)
	defer cancel()
	return applyLabels(ctx, spec.Private[0], want, labelHolder{PID: os.Getpid(), Policy: spec.Policy}, labelOps{
		get: getLabel, set: setLabel, restore: restoreRecorded, alive: processAlive,
	})
}
