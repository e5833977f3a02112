package sandbox

import (
	"fmt"
	"sync"

	"golang.org/x/sys/windows"
)

// protectHost gives the conductor's process the access list of hostSDDL,
// once per process.
var protectHost = sync.OnceValue(func() error {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return fmt.Errorf("who runs the conductor: %w", err)
	}
	sd, err := windows.SecurityDescriptorFromString(hostSDDL(u.User.Sid.String()))
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	if err := windows.SetSecurityInfo(windows.CurrentProcess(), windows.SE_KERNEL_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil); err != nil {
		return fmt.Errorf("keep sandboxed code from ending the conductor (its process's access list): %w", err)
	}
	return nil
})
