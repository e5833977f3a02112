package sandbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// TestJunctionToTheHomeIsFound: without the kernel layer, a grant that
// holds a junction leading into the conductor's folder is refused, like
// one holding a symbolic link (a junction needs no privilege to make).
func TestJunctionToTheHomeIsFound(t *testing.T) {
	root := t.TempDir()
	home, grant := filepath.Join(root, "home"), filepath.Join(root, "grant")
	for _, d := range []string{home, grant} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := linkDir(home, filepath.Join(grant, "j")); err != nil {
		t.Fatal(err)
	}
	pr := newProtection([]config.Protected{{Path: home, Access: config.NoAccess, What: "the conductor's folder"}})
	if link, _, found := pr.findLink(grant, false, 100); !found || link != filepath.Join(grant, "j") {
		t.Fatalf("the junction %s into the home was not found (%q)", filepath.Join(grant, "j"), link)
	}
}
