package pathid

import (
	"os"
	"path/filepath"
	"testing"
)

// tree builds:
//
//	real/home/.conductor/config.json
//	alias -> real/home          (a link to a folder holding the protected file)
//	grant -> real               (a grant that is itself a link)
//	outside/
func tree(t *testing.T) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"real/home/.conductor", "outside"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "real/home/.conductor/config.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"alias": "real/home", "grant": "real"} {
		if err := os.Symlink(filepath.Join(root, target), filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestResolve(t *testing.T) {
	root := tree(t)
	for _, tt := range []struct{ in, want string }{
		{"alias/.conductor/config.json", "real/home/.conductor/config.json"},
		{"alias/.conductor/not-yet/file", "real/home/.conductor/not-yet/file"},
		{"grant/home/../home/.conductor", "real/home/.conductor"},
		{"outside", "outside"},
	} {
		if got := Resolve(filepath.Join(root, tt.in)); got != filepath.Join(root, tt.want) {
			t.Errorf("Resolve(%s) = %s, want %s", tt.in, got, filepath.Join(root, tt.want))
		}
	}
	if got := Aliases(filepath.Join(root, "alias")); len(got) != 2 || got[1] != filepath.Join(root, "real/home") {
		t.Errorf("Aliases(alias) = %v", got)
	}
	if got := Aliases(filepath.Join(root, "outside")); len(got) != 1 {
		t.Errorf("Aliases(outside) = %v, want the path alone", got)
	}
}

func TestWithin(t *testing.T) {
	root := tree(t)
	cfg := filepath.Join(root, "alias/.conductor/config.json")
	for _, tt := range []struct {
		path, dir string
		ok        bool
		rel       string
	}{
		// The protected file, spelled through a link, lies inside the real folder.
		{cfg, filepath.Join(root, "real"), true, "home/.conductor/config.json"},
		// The grant is a link to a folder that holds the file.
		{cfg, filepath.Join(root, "grant"), true, "home/.conductor/config.json"},
		{filepath.Join(root, "real/home/.conductor/config.json"), filepath.Join(root, "alias"), true, ".conductor/config.json"},
		{filepath.Join(root, "real/home"), filepath.Join(root, "alias"), true, "."},
		{cfg, filepath.Join(root, "outside"), false, ""},
		{filepath.Join(root, "real"), cfg, false, ""},
		// Spelling alone would say yes; "realm" is not inside "real".
		{filepath.Join(root, "realm"), filepath.Join(root, "real"), false, ""},
	} {
		rel, ok := Within(tt.path, tt.dir)
		if ok != tt.ok || rel != tt.rel {
			t.Errorf("Within(%s, %s) = %q, %v; want %q, %v", tt.path, tt.dir, rel, ok, tt.rel, tt.ok)
		}
	}
	if !Same(filepath.Join(root, "alias"), filepath.Join(root, "real/home")) || Same(filepath.Join(root, "real"), filepath.Join(root, "real/home")) {
		t.Error("Same")
	}
}

// A bind mount makes one folder reachable under two names that no link
// resolution connects; identity still does.
func TestWithinBindMount(t *testing.T) {
	root := tree(t)
	mnt := filepath.Join(root, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := bindMount(filepath.Join(root, "real/home"), mnt); err != nil {
		if os.Getenv("CI") != "" && os.Geteuid() == 0 {
			t.Fatalf("bind mount as root in CI: %v", err)
		}
		t.Skipf("bind mounts need root: %v", err)
	}
	t.Cleanup(func() { unmount(mnt) })
	// A grant of the mount covers the protected file under its real name.
	rel, ok := Within(filepath.Join(root, "real/home/.conductor/config.json"), mnt)
	if !ok || rel != ".conductor/config.json" {
		t.Errorf("Within(bind mount) = %q, %v", rel, ok)
	}
	if !Same(mnt, filepath.Join(root, "alias")) {
		t.Error("the mount and the link lead to one folder")
	}
}

// A Place keeps meaning what it led to when it was taken.
func TestPlaceHolds(t *testing.T) {
	root := tree(t)
	cfg := filepath.Join(root, "alias/.conductor/config.json")
	pl := Snap(cfg)
	if !pl.Holds(filepath.Join(root, "real/home/.conductor/config.json")) || !pl.Holds(cfg) {
		t.Fatal("the place does not hold itself")
	}
	// The name now leads elsewhere: the place stays where it was.
	elsewhere := filepath.Join(root, "outside", "planted.json")
	os.WriteFile(elsewhere, []byte("{}"), 0o600)
	os.Remove(filepath.Join(root, "real/home/.conductor/config.json"))
	if err := os.Symlink(elsewhere, filepath.Join(root, "real/home/.conductor/config.json")); err != nil {
		t.Fatal(err)
	}
	if pl.Holds(cfg) {
		t.Error("a link made later moved the place")
	}
	if !Snap(cfg).Holds(elsewhere) {
		t.Error("a new snapshot follows the link")
	}
}
