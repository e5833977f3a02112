package sandbox

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// windowsSizeofThreadEntry is THREADENTRY32's size, which Thread32First
// needs in its Size field.
const windowsSizeofThreadEntry = unsafe.Sizeof(windows.ThreadEntry32{})

// createRestrictedToken is advapi32's CreateRestrictedToken, which
// golang.org/x/sys/windows does not wrap.
var createRestrictedToken = windows.NewLazySystemDLL("advapi32.dll").NewProc("CreateRestrictedToken")

// disableMaxPrivilege (DISABLE_MAX_PRIVILEGE) removes every privilege but
// SeChangeNotifyPrivilege.
const disableMaxPrivilege = 0x1

// restrictedToken makes the primary token for a confined process from the
// conductor's own: see winToken. The caller closes it.
func restrictedToken(spec *winToken) (windows.Token, error) {
	var self windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(),
		windows.TOKEN_DUPLICATE|windows.TOKEN_QUERY|windows.TOKEN_ASSIGN_PRIMARY|windows.TOKEN_ADJUST_DEFAULT, &self); err != nil {
		return 0, fmt.Errorf("open the conductor's token: %w", err)
	}
	defer self.Close()
	var deny []windows.SIDAndAttributes
	for _, s := range spec.DenyOnly {
		sid, err := windows.StringToSid(s)
		if err != nil {
			return 0, err
		}
		deny = append(deny, windows.SIDAndAttributes{Sid: sid})
	}
	var denyPtr *windows.SIDAndAttributes
	if len(deny) > 0 {
		denyPtr = &deny[0]
	}
	flags := uintptr(0)
	if spec.DisableMaxPrivilege {
		flags = disableMaxPrivilege
	}
	var tok windows.Token
	r, _, err := createRestrictedToken.Call(uintptr(self), flags, uintptr(len(deny)), uintptr(unsafe.Pointer(denyPtr)),
		0, 0, 0, 0, uintptr(unsafe.Pointer(&tok)))
	if r == 0 {
		return 0, fmt.Errorf("CreateRestrictedToken: %w", err)
	}
	if err := setIntegrity(tok, spec.Integrity); err != nil {
		tok.Close()
		return 0, err
	}
	return tok, nil
}

// setIntegrity lowers tok's mandatory integrity level to the level SID.
func setIntegrity(tok windows.Token, level string) error {
	sid, err := windows.StringToSid(level)
	if err != nil {
		return err
	}
	tml := windows.Tokenmandatorylabel{Label: windows.SIDAndAttributes{Sid: sid, Attributes: windows.SE_GROUP_INTEGRITY}}
	if err := windows.SetTokenInformation(tok, windows.TokenIntegrityLevel, (*byte)(unsafe.Pointer(&tml)),
		tml.Size()); err != nil {
		return fmt.Errorf("set the sandbox's integrity level: %w", err)
	}
	return nil
}

// tokenIntegrity reads a token's integrity level SID (for tests).
func tokenIntegrity(tok windows.Token) (string, error) {
	n := uint32(64)
	for {
		buf := make([]byte, n)
		err := windows.GetTokenInformation(tok, windows.TokenIntegrityLevel, &buf[0], n, &n)
		if err == windows.ERROR_INSUFFICIENT_BUFFER {
			continue
		}
		if err != nil {
			return "", err
		}
		return (*windows.Tokenmandatorylabel)(unsafe.Pointer(&buf[0])).Label.Sid.String(), nil
	}
}
