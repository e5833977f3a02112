package fsx

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "f.json")
	if err := WriteFile(path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two"), 0o640); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	st, _ := os.Stat(path)
	// Windows has no mode bits but read-only (see TestSecretsArePrivate).
	if err != nil || string(b) != "two" || runtime.GOOS != "windows" && st.Mode().Perm() != 0o640 {
		t.Fatalf("content %q mode %v err %v", b, st.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := WriteFile(filepath.Join(path, "under-a-file"), []byte("x"), 0o600); err == nil {
		t.Error("writing below a file should fail")
	}
}

func TestWriteOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x-abc.lock")
	if err := WriteOnce(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm()&0o222 != 0 {
		t.Errorf("mode %v, want read-only", st.Mode())
	}
	before := st.ModTime()
	if err := WriteOnce(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); !st.ModTime().Equal(before) {
		t.Error("an identical file was written again")
	}
	if err := WriteOnce(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Errorf("content %q", b)
	}
}
