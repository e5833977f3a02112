package sandbox

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestImportMapsArePruned: writing a process's import map removes the maps
// no process started with for importMapIdle, and keeps the rest: the one
// written, recent ones (another conductor process may be about to start
// with one), and files that are not import maps.
func TestImportMapsArePruned(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * importMapIdle)
	file := func(name string, mod time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("{}"), 0o444); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := file("import-map-000000000001.json", old)
	recent := file("import-map-000000000002.json", time.Now().Add(-importMapIdle/2))
	other := file("bootstrap-000000000003.js", old)
	// The map about to be written exists already, unused for long: it is
	// marked in use, not removed.
	content := []byte(`{"imports":{}}`)
	reused, err := writeOnce(dir, "import-map", ".json", content)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(reused, old, old); err != nil {
		t.Fatal(err)
	}
	got, err := writeImportMap(dir, content)
	if err != nil {
		t.Fatal(err)
	}
	if got != reused {
		t.Fatalf("wrote %s, want %s", got, reused)
	}
	for p, want := range map[string]bool{stale: false, recent: true, other: true, reused: true} {
		_, err := os.Stat(p)
		if have := err == nil; have != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), have, want)
		}
	}
	if st, err := os.Stat(reused); err != nil || time.Since(st.ModTime()) > importMapIdle/2 {
		t.Errorf("the map in use was not marked: %v", err)
	}
	// The next process with the same map prunes nothing more.
	if _, err := writeImportMap(dir, content); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(recent); err != nil {
		t.Fatal("a recent map was removed")
	}
}
