package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLabelGoesBack: a folder labelled writable for the sandbox (and what
// inherits the label inside it) has its earlier label again after
// restoreLabel, read before the change by getLabel.
func TestLabelGoesBack(t *testing.T) {
	dir := t.TempDir()
	child := filepath.Join(dir, "child")
	if err := os.Mkdir(child, 0o700); err != nil {
		t.Fatal(err)
	}
	before, err := getLabel(dir)
	if err != nil {
		t.Fatal(err)
	}
	childBefore, err := getLabel(child)
	if err != nil {
		t.Fatal(err)
	}
	if err := setLabel(winLabel{Path: dir, SDDL: labelWritable}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, child} {
		if l, _ := getLabel(p); !strings.Contains(l, ";LW)") {
			t.Fatalf("label of %s after setLabel: %q, want low", p, l)
		}
	}
	if err := restoreLabel(dir, before); err != nil {
		t.Fatal(err)
	}
	if got, _ := getLabel(dir); got != before {
		t.Errorf("label of the folder after restoreLabel: %q, want %q", got, before)
	}
	if got, _ := getLabel(child); got != childBefore {
		t.Errorf("label inside the folder after restoreLabel: %q, want %q (no low label left to inherit)", got, childBefore)
	}
}
