package fsx

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSecretsArePrivate: the conductor's secrets (a file written 0600, a
// folder made with MkdirPrivate and what is made inside it) are owner-only,
// checked by what the system reports (the access list on Windows), not by
// Go's mode bits, which on Windows say rw-rw-rw- for every writable file.
func TestSecretsArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	if err := MkdirPrivate(dir); err != nil {
		t.Fatal(err)
	}
	token := filepath.Join(dir, "http-token")
	if err := WriteFile(token, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inherited := filepath.Join(dir, "logs")
	if err := os.Mkdir(inherited, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, token, inherited} {
		if ok, err := IsPrivate(p); err != nil || !ok {
			t.Errorf("%s: private %v, %v; want owner-only", p, ok, err)
		}
	}
	public := filepath.Join(t.TempDir(), "public.json")
	if err := WriteFile(public, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Restrict(public); err != nil {
		t.Fatal(err)
	}
	if ok, err := IsPrivate(public); err != nil || !ok {
		t.Errorf("after Restrict: private %v, %v", ok, err)
	}
}

func TestOwnerOnlySDDL(t *testing.T) {
	const sid = "S-1-5-21-1-2-3-1001"
	for _, c := range []struct {
		dir  bool
		want string
	}{
		{false, "O:S-1-5-21-1-2-3-1001D:P(A;;FA;;;S-1-5-21-1-2-3-1001)"},
		{true, "O:S-1-5-21-1-2-3-1001D:P(A;OICI;FA;;;S-1-5-21-1-2-3-1001)"},
	} {
		if got := OwnerOnlySDDL(sid, c.dir); got != c.want {
			t.Errorf("OwnerOnlySDDL(dir=%v) = %s, want %s", c.dir, got, c.want)
		}
	}
}
