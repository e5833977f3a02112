package sandbox

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
)

// A skill saved again is a new file, seen as a change even when it keeps
// its size and lands in the same tick of the file system's clock: a
// process started with the old one (whose kernel rules name the old file)
// is then replaced.
func TestSkillSetTellsAReplacedFileApart(t *testing.T) {
	dir := t.TempDir()
	r := &Runner{skills: skills.Store{Dir: dir}}
	tick := time.Now().Truncate(time.Second)
	save := func(src string) {
		t.Helper()
		tmp := filepath.Join(dir, ".next")
		if err := os.WriteFile(tmp, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(tmp, tick, tick); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "tools.ts")); err != nil {
			t.Fatal(err)
		}
	}
	save("export const a = 1;\n")
	first := r.currentSkills()
	if len(first.files) != 1 || !first.same(r.currentSkills()) {
		t.Fatalf("an unchanged folder reads as changed: %+v", first.files)
	}
	save("export const b = 2;\n") // same size, same time, another file
	if first.same(r.currentSkills()) {
		t.Fatal("a skill replaced within one tick, at the same size, reads as unchanged")
	}
}
