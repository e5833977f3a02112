package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
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

// The packages a run must have installed before it starts include those
// of the skills it imports, and of the skills those import: the allowlist's
// install step may still be running when code importing a skill arrives
// (a CI run caught a run started before it ended, whose lockfile lacked
// the package its skill imported).
func TestSkillPackages(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"uses-zod":  `import { z } from "npm:zod"; export const s = z.string();`,
		"indirect":  `import { s } from "skills/uses-zod"; export const t = s;`,
		"self":      `import { x } from "skills/self"; export const x = 1;`,
		"off-list":  `import left from "npm:left-pad"; export const l = left;`,
		"no-import": `export const n = 1;`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name+".ts"), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p, err := config.Load(func(k string) string {
		switch k {
		case config.EnvHome:
			return t.TempDir()
		case config.EnvAllowedPackages:
			return "npm:zod@^3"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{skills: skills.Store{Dir: dir}, policy: p}
	for _, tc := range []struct {
		skills []string
		want   string // the packages, or the error's words
		fails  bool
	}{
		{[]string{"uses-zod"}, "npm:zod@^3", false},
		{[]string{"indirect"}, "npm:zod@^3", false},
		{[]string{"indirect", "uses-zod"}, "npm:zod@^3", false},
		{[]string{"self"}, "", false},
		{[]string{"no-import"}, "", false},
		{[]string{"off-list"}, "left-pad", true},
		{[]string{"absent"}, "no skill named absent", true},
	} {
		var got []string
		err := r.skillPackages(tc.skills, func(s *allowlist.Spec) {
			if s != nil && !slices.Contains(got, s.String()) {
				got = append(got, s.String())
			}
		})
		switch {
		case tc.fails && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want one naming %q", tc.skills, err, tc.want)
		case !tc.fails && (err != nil || strings.Join(got, " ") != tc.want):
			t.Errorf("%v: packages %q, %v; want %q", tc.skills, got, err, tc.want)
		}
	}
	// What a skill imports is remembered by its source: saved again
	// without the import, it needs no package.
	if err := os.WriteFile(filepath.Join(dir, "uses-zod.ts"), []byte(`export const s = "";`), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := r.skillPackages([]string{"indirect"}, func(s *allowlist.Spec) {
		if s != nil {
			got = append(got, s.String())
		}
	}); err != nil || len(got) != 0 {
		t.Errorf("after uses-zod dropped its import: packages %q, %v; want none", got, err)
	}
}

// BenchmarkSkillImports: finding what a skill source imports, parsed by
// esbuild (the first run importing it) beside remembered (every later
// run), in the same run.
func BenchmarkSkillImports(b *testing.B) {
	src := `import { z } from "npm:zod";
import type { T } from "skills/types";
/** Validates a user. */
export function user(x: unknown) { return z.object({ name: z.string(), age: z.number() }).parse(x); }
`
	b.Run("parsed", func(b *testing.B) {
		for b.Loop() {
			var c importCache
			if _, err := c.of(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("remembered", func(b *testing.B) {
		var c importCache
		for b.Loop() {
			if _, err := c.of(src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
