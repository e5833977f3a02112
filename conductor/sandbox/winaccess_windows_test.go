package sandbox

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// dacl is path's access list as SDDL.
func dacl(t *testing.T, path string) string {
	t.Helper()
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	return sd.String()
}

// TestAccessEntryGoesBack: an access entry set on a folder is inherited
// inside it, setting it again adds nothing, and revokeAccess takes it
// from both.
func TestAccessEntryGoesBack(t *testing.T) {
	dir := t.TempDir()
	child := filepath.Join(dir, "child")
	if err := os.Mkdir(child, 0o700); err != nil {
		t.Fatal(err)
	}
	sid := grantSID(dir)
	l := winLabel{dir, "D:(A;OICI;" + accessRead + ";;;" + sid + ")"}
	for range 2 {
		if err := setAccess(l); err != nil {
			t.Fatal(err)
		}
	}
	if got := dacl(t, dir); strings.Count(got, sid) != 1 {
		t.Errorf("access list of the folder after setAccess twice: %s, want one entry for %s", got, sid)
	}
	if got := dacl(t, child); !strings.Contains(got, sid) {
		t.Errorf("access list inside the folder: %s, want the entry for %s inherited", got, sid)
	}
	if err := revokeAccess(dir, sid); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, child} {
		if got := dacl(t, p); strings.Contains(got, sid) {
			t.Errorf("access list of %s after revokeAccess: %s", p, got)
		}
	}
}

// TestRestrictedTokenAsAsked: the confined token's restricting SIDs are
// the plan's, the logon session's SID in place of its stand-in, and the
// user's SID is not among them.
func TestRestrictedTokenAsAsked(t *testing.T) {
	home := t.TempDir()
	tok, err := restrictedToken(windowsToken(LaunchSpec{Private: []string{home}}))
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	got, err := tokenRestricting(tok)
	if err != nil {
		t.Fatal(err)
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(got, " ")
	for _, want := range []string{"S-1-1-0", "S-1-5-32-545", "S-1-5-11", "S-1-5-12", "S-1-5-5-", grantSID(home)} {
		if !strings.Contains(joined, want) {
			t.Errorf("restricting SIDs %v lack %s", got, want)
		}
	}
	if strings.Contains(joined, user.User.Sid.String()) {
		t.Errorf("the user's SID %s is among the restricting SIDs", user.User.Sid)
	}
}

// TestReadsOutsideTheGrantsAreOutOfReach is the read side of the layer,
// as the process sees it (the test binary stands in for Deno, which would
// have checked nothing of its own): a canary in a folder only its user may
// read cannot be read, nor through a junction inside a grant; a file in a
// granted folder can.
func TestReadsOutsideTheGrantsAreOutOfReach(t *testing.T) {
	if ok, why := KernelConfinement().Available(); !ok {
		t.Fatalf("the layer is not available here: %s", why)
	}
	root := t.TempDir()
	home, secret, grant := filepath.Join(root, "home"), filepath.Join(root, "secret"), filepath.Join(root, "grant")
	for _, d := range []string{home, secret, grant} {
		if err := fsx.MkdirPrivate(d); err != nil {
			t.Fatal(err)
		}
	}
	canary := "canary-" + filepath.Base(root)
	if err := os.WriteFile(filepath.Join(secret, "key"), []byte(canary), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(grant, "mine"), []byte("granted"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := linkDir(secret, filepath.Join(grant, "j")); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	spec := LaunchSpec{Confine: true, Require: true, ReadRoots: []string{grant}, Exec: []string{self},
		ReadDirs: []string{filepath.Dir(self)}, Private: []string{home}, WorkDir: grant, Policy: 1}
	if err := prepareKernel(spec); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { releaseKernel(spec) })

	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), "SANDBOX_TEST_ROLE=reader", "SANDBOX_TEST_READ="+strings.Join([]string{
		filepath.Join(grant, "mine"), filepath.Join(secret, "key"), filepath.Join(grant, "j", "key")}, string(os.PathListSeparator)))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := startConfined(cmd, spec); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for sc := bufio.NewScanner(out); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	cmd.Wait()
	said := strings.Join(lines, "\n")
	if strings.Contains(said, canary) {
		t.Fatalf("the confined process read the canary:\n%s", said)
	}
	if len(lines) != 3 || lines[0] != "read granted" || !strings.HasPrefix(lines[1], "denied") || !strings.HasPrefix(lines[2], "denied") {
		t.Fatalf("want the granted file read and both ways to the canary denied; the process said:\n%s", said)
	}
}
