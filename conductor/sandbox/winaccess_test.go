package sandbox

import (
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestGrantSID: one SID per conductor folder, the same at every start and
// whatever the case of its name, in the resource-manager authority.
func TestGrantSID(t *testing.T) {
	a, b := filepath.Join("C:", "Users", "me", ".mcp-conductor"), filepath.Join("C:", "Users", "you", ".mcp-conductor")
	first, again := grantSID(a), grantSID(a)
	if first != again || first != grantSID(strings.ToUpper(a)) {
		t.Error("the grant SID changes for the same folder")
	}
	if grantSID(a) == grantSID(b) {
		t.Error("two conductors share a grant SID")
	}
	if !regexp.MustCompile(`^S-1-9(-\d{1,10}){8}$`).MatchString(grantSID(a)) {
		t.Errorf("grant SID %s: want S-1-9 and eight 32-bit words", grantSID(a))
	}
}

// TestWindowsAccess: what code may reach on Windows, as access entries for
// the grant SID: modify for the write grants and the private folder, read
// for the read grants and what Deno reads; and a token whose restricting
// SIDs never hold the user's, with the grant SID in its default access
// list. Reading a whole drive leaves reads to Deno (no entries, no
// restricting SIDs), and so does the probe's finding (OpenReads).
func TestWindowsAccess(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	j := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	spec := LaunchSpec{
		WriteRoots: []string{j("work")},
		RWDirs:     []string{filepath.Join(home, "sandbox", "run-1")},
		ReadRoots:  []string{j("data"), j("work")},
		ReadDirs:   []string{filepath.Join(home, "cache", "deno")},
		ReadFiles:  []string{filepath.Join(home, "runtime", "deno.exe"), filepath.Join(home, "sandbox", "bootstrap-1.js")},
		Exec:       []string{filepath.Join(home, "runtime", "deno.exe"), j("tools", "rg.exe")},
		Private:    []string{home, filepath.Join(home, "settings.json")},
		WorkDir:    filepath.Join(home, "workspace"),
	}
	sid := grantSID(home)
	dir := func(p, mask string) winLabel { return winLabel{p, "D:(A;OICI;" + mask + ";;;" + sid + ")"} }
	file := func(p string) winLabel { return winLabel{p, "D:(A;;" + accessRead + ";;;" + sid + ")"} }
	want := []winLabel{
		dir(j("work"), accessModify), // written and read: one entry, modify
		dir(filepath.Join(home, "sandbox", "run-1"), accessModify),
		dir(j("data"), accessRead),
		dir(filepath.Join(home, "cache", "deno"), accessRead),
		dir(filepath.Join(home, "workspace"), accessRead),
		file(filepath.Join(home, "runtime", "deno.exe")),
		file(filepath.Join(home, "sandbox", "bootstrap-1.js")),
		file(j("tools", "rg.exe")),
	}
	if got := windowsAccess(spec); !reflect.DeepEqual(got, want) {
		t.Errorf("access entries:\n got %v\nwant %v", got, want)
	}
	for _, l := range want {
		if !isAccessEntry(l) || accessSID(l.SDDL) != sid {
			t.Errorf("%s: not an access entry for %s", l.SDDL, sid)
		}
	}
	if isAccessEntry(winLabel{home, labelUnreadable}) {
		t.Error("a label taken for an access entry")
	}
	tok := windowsToken(spec)
	if !reflect.DeepEqual(tok.Restricting, []string{"S-1-1-0", "S-1-5-32-545", "S-1-5-11", "S-1-5-12", "logon", sid}) {
		t.Errorf("restricting SIDs %v", tok.Restricting)
	}
	if !strings.Contains(tok.DefaultDACL, "(A;;GA;;;"+sid+")") || !strings.Contains(tok.DefaultDACL, "(A;;GA;;;USER)") {
		t.Errorf("default access list %s: the process could not open its own objects", tok.DefaultDACL)
	}

	for name, s := range map[string]LaunchSpec{
		"a whole drive is readable": {ReadRoots: []string{filepath.VolumeName(root) + string(filepath.Separator)}, Private: []string{home}},
		"the probe found it breaks": {ReadRoots: []string{j("data")}, Private: []string{home}, OpenReads: true},
		"no conductor folder":       {ReadRoots: []string{j("data")}},
	} {
		if got := windowsAccess(s); got != nil {
			t.Errorf("%s: access entries %v", name, got)
		}
		if tok := windowsToken(s); len(tok.Restricting) > 0 || tok.DefaultDACL != "" {
			t.Errorf("%s: token %+v restricts reads", name, tok)
		}
		if tok := windowsToken(s); tok.Integrity != "S-1-16-4096" {
			t.Errorf("%s: token not at low integrity", name)
		}
	}
	if slices.Contains(restrictingSIDs(home), "S-1-5-32-544") {
		t.Error("Administrators among the restricting SIDs")
	}
}
