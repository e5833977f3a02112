package fsx

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	none := VersionOf(path)
	if !none.Same(VersionOf(path)) {
		t.Fatal("a missing file's version changed")
	}
	tick := time.Now().Truncate(time.Second)
	write := func(content string) {
		t.Helper()
		if err := WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, tick, tick); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"a":1}`)
	first := VersionOf(path)
	if first.Same(none) || !first.Same(VersionOf(path)) {
		t.Fatal("created: the version does not tell it from a missing file, or changes unread")
	}
	write(`{"b":2}`) // same size, same time: only the file itself differs
	if first.Same(VersionOf(path)) {
		t.Fatal("a same-size replacement within one tick has the same version")
	}
}
