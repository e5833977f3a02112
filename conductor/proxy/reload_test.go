package proxy

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// An edit that keeps the file's size and lands in the same tick of the
// file system's clock is still seen: every edit replaces the file, and
// the manager tells files apart, not only times and sizes.
func TestReloadSeesASameSizeEditInOneTick(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mcp-config.json")
	write := func(name string, mod time.Time) {
		t.Helper()
		tmp := filepath.Join(dir, "next.json")
		if err := os.WriteFile(tmp, []byte(`{"mcpServers":{"`+name+`":{"url":"https://example.com/mcp"}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(tmp, mod, mod); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	tick := time.Now().Truncate(time.Second)
	write("near", tick)
	m := NewManager(path, Options{})
	defer m.Close()
	if got := m.Names(); !slices.Equal(got, []string{"near"}) {
		t.Fatalf("names %v", got)
	}
	write("far0", tick) // same size, same time, another file
	if got := m.Names(); !slices.Equal(got, []string{"far0"}) {
		t.Fatalf("after a same-size edit in the same tick: names %v, want [far0]", got)
	}
}
