package fsx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceDir(t *testing.T) {
	for _, tc := range []struct {
		name     string
		existing bool
	}{
		{"new", false},
		{"replacing", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst, aside := filepath.Join(dir, "src"), filepath.Join(dir, "dst"), filepath.Join(dir, "tmp", "aside")
			mustWrite(t, filepath.Join(src, "f"), "new")
			if tc.existing {
				mustWrite(t, filepath.Join(dst, "f"), "old")
				mustWrite(t, filepath.Join(dst, "only-old"), "old")
			}
			os.MkdirAll(filepath.Dir(aside), 0o755)
			if err := ReplaceDir(src, dst, aside); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(dst, "f")); string(b) != "new" {
				t.Fatalf("dst/f = %q, want the new folder's", b)
			}
			if _, err := os.Stat(filepath.Join(dst, "only-old")); err == nil {
				t.Fatal("the old folder's files are mixed into the new one")
			}
			if _, err := os.Stat(src); err == nil {
				t.Fatal("src still exists after the move")
			}
			_, err := os.Stat(filepath.Join(aside, "only-old"))
			if got := err == nil; got != tc.existing {
				t.Fatalf("old folder set aside = %v, want %v", got, tc.existing)
			}
		})
	}
}

func TestReplaceDirFailureKeepsTheOldFolder(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "dst")
	mustWrite(t, filepath.Join(dst, "f"), "old")
	// aside's parent does not exist: setting the old folder aside fails.
	err := ReplaceDir(filepath.Join(dir, "missing-src"), dst, filepath.Join(dir, "no", "aside"))
	if err == nil {
		t.Fatal("ReplaceDir succeeded without a place to set the old folder aside")
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "f")); string(b) != "old" {
		t.Fatalf("after a failed replace dst/f = %q, want the old content", b)
	}
}

func TestWriteExecutable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bin", "prog")
	for _, v := range []string{"v1", "v2"} {
		if err := WriteExecutable(p, strings.NewReader(v), 0o755); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); string(b) != v {
			t.Fatalf("program holds %q, want %q", b, v)
		}
	}
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
