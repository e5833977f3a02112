package sandbox

import (
	"fmt"
	"strings"
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
	restrict, err := restrictingSet(self, spec.Restricting)
	if err != nil {
		return 0, err
	}
	var restrictPtr *windows.SIDAndAttributes
	if len(restrict) > 0 {
		restrictPtr = &restrict[0]
	}
	flags := uintptr(0)
	if spec.DisableMaxPrivilege {
		flags = disableMaxPrivilege
	}
	var tok windows.Token
	r, _, err := createRestrictedToken.Call(uintptr(self), flags, uintptr(len(deny)), uintptr(unsafe.Pointer(denyPtr)),
		0, 0, uintptr(len(restrict)), uintptr(unsafe.Pointer(restrictPtr)), uintptr(unsafe.Pointer(&tok)))
	if r == 0 {
		return 0, fmt.Errorf("CreateRestrictedToken: %w", err)
	}
	if err := setIntegrity(tok, spec.Integrity); err != nil {
		tok.Close()
		return 0, err
	}
	if spec.DefaultDACL != "" {
		if err := setDefaultDACL(self, tok, spec.DefaultDACL); err != nil {
			tok.Close()
			return 0, err
		}
	}
	return tok, nil
}

// restrictingSet turns the plan's restricting SIDs into the token's,
// sidLogon into the logon session's SID of self.
func restrictingSet(self windows.Token, sids []string) ([]windows.SIDAndAttributes, error) {
	var out []windows.SIDAndAttributes
	for _, s := range sids {
		if s == sidLogon {
			groups, err := self.GetTokenGroups()
			if err != nil {
				return nil, fmt.Errorf("read the conductor's groups: %w", err)
			}
			for _, g := range groups.AllGroups() {
				if g.Attributes&windows.SE_GROUP_LOGON_ID == windows.SE_GROUP_LOGON_ID {
					sid, err := g.Sid.Copy()
					if err != nil {
						return nil, err
					}
					out = append(out, windows.SIDAndAttributes{Sid: sid})
				}
			}
			continue
		}
		sid, err := windows.StringToSid(s)
		if err != nil {
			return nil, fmt.Errorf("restricting SID %s: %w", s, err)
		}
		out = append(out, windows.SIDAndAttributes{Sid: sid})
	}
	return out, nil
}

// tokenDefaultDACL is TOKEN_DEFAULT_DACL, which x/sys/windows does not
// declare.
type tokenDefaultDACL struct{ DefaultDacl *windows.ACL }

// setDefaultDACL gives tok the default access list sddl, with "USER"
// standing for the user's SID of self.
func setDefaultDACL(self, tok windows.Token, sddl string) error {
	user, err := self.GetTokenUser()
	if err != nil {
		return fmt.Errorf("read the conductor's user: %w", err)
	}
	sd, err := windows.SecurityDescriptorFromString(strings.ReplaceAll(sddl, "USER", user.User.Sid.String()))
	if err != nil {
		return fmt.Errorf("the sandbox's default access list %s: %w", sddl, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("the sandbox's default access list: %w", err)
	}
	d := tokenDefaultDACL{DefaultDacl: dacl}
	if err := windows.SetTokenInformation(tok, windows.TokenDefaultDacl, (*byte)(unsafe.Pointer(&d)), uint32(unsafe.Sizeof(d))); err != nil {
		return fmt.Errorf("set the sandbox's default access list: %w", err)
	}
	return nil
}

// tokenRestricting reads a token's restricting SIDs (for tests).
func tokenRestricting(tok windows.Token) ([]string, error) {
	buf, err := tokenInfo(tok, windows.TokenRestrictedSids)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range (*windows.Tokengroups)(unsafe.Pointer(&buf[0])).AllGroups() {
		out = append(out, g.Sid.String())
	}
	return out, nil
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

// tokenIntegrity reads a token's integrity level SID.
func tokenIntegrity(tok windows.Token) (string, error) {
	buf, err := tokenInfo(tok, windows.TokenIntegrityLevel)
	if err != nil {
		return "", err
	}
	return (*windows.Tokenmandatorylabel)(unsafe.Pointer(&buf[0])).Label.Sid.String(), nil
}

// tokenInfo is GetTokenInformation of class, in a buffer as large as it
// needs.
func tokenInfo(tok windows.Token, class uint32) ([]byte, error) {
	n := uint32(64)
	for {
		buf := make([]byte, n)
		err := windows.GetTokenInformation(tok, class, &buf[0], n, &n)
		if err == windows.ERROR_INSUFFICIENT_BUFFER {
			continue
		}
		return buf, err
	}
}
