package sandbox

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/windows"
)

// setLabel gives a file or folder its mandatory label, unless it has that
// label already (a folder's new label walks everything beneath it). A path
// that does not exist is skipped.
func setLabel(l winLabel) error {
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
	if err := windows.SetNamedSecurityInfo(l.Path, windows.SE_FILE_OBJECT, windows.LABEL_SECURITY_INFORMATION, nil, nil, nil, sacl); err != nil {
		return fmt.Errorf("label %s for the sandbox (%s): %w", l.Path, l.SDDL, err)
	}
	return nil
}
