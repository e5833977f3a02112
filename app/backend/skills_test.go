package backend

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// TestSkillsPage: a skill placed in the folder is listed with its
// signatures and source; deleting it removes its files (kept as backups),
// refuses a name that is a path, and is in the audit log.
func TestSkillsPage(t *testing.T) {
	f := withDeno(t)
	ctx := context.Background()
	dir := filepath.Join(f.home, "skills")
	src := "/** Greets. */\nexport function greet(name: string): string { return `hello ${name}` }\n"
	if err := os.WriteFile(filepath.Join(dir, "greet.ts"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := f.b.Skills(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Saving || v.Folder != dir || len(v.Skills) != 1 || v.Skills[0].Import != "skills/greet" ||
		len(v.Skills[0].Exports) != 1 || v.Skills[0].Exports[0].Signature != "function greet(name: string): string" || v.Skills[0].Exports[0].Doc != "Greets." {
		t.Fatalf("Skills: %+v", v)
	}
	if got, err := f.b.SkillSource("greet"); err != nil || got != src {
		t.Errorf("SkillSource: %q, %v", got, err)
	}
	for _, bad := range []string{"../settings", "/etc/passwd", "absent"} {
		if _, err := f.b.SkillSource(bad); err == nil {
			t.Errorf("SkillSource(%q) answered", bad)
		}
		if _, err := f.b.DeleteSkill(ctx, bad); err == nil {
			t.Errorf("DeleteSkill(%q) answered", bad)
		}
	}
	v, err = f.b.DeleteSkill(ctx, "greet")
	if err != nil || len(v.Skills) != 0 {
		t.Fatalf("DeleteSkill: %+v, %v", v, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "greet.ts")); err == nil {
		t.Error("greet.ts is still there")
	}
	backups, _ := os.ReadDir(filepath.Join(f.home, "backups", "skills"))
	if len(backups) != 1 || !strings.HasSuffix(backups[0].Name(), "_greet.ts") {
		t.Errorf("backups: %v", backups)
	}
	changes, err := f.b.SkillChanges(0)
	if err != nil {
		t.Fatal(err)
	}
	var deleted, refused int
	for _, c := range changes {
		switch {
		case c.Action == "deleted" && c.OK && c.Skill == "greet" && c.Client == SkillsClient:
			deleted++
		case c.Action == "deleted" && !c.OK && c.Error != "":
			refused++
		}
	}
	if deleted != 1 || refused != 3 {
		t.Errorf("skill changes: %+v", changes)
	}
}

// The Skills page's switch sets what AI clients' save_skill does, in the
// settings file, and the engine follows: on, each save asks, off (the tool
// is gone). A mode that is not one is refused and nothing is written.
func TestSetSkillSaving(t *testing.T) {
	f := withDeno(t)
	ctx := context.Background()
	settings := func() config.SkillSettings {
		t.Helper()
		s, err := config.ReadSettings(config.SettingsPath(f.home))
		if err != nil {
			t.Fatal(err)
		}
		return s.Skills
	}
	for _, tc := range []struct {
		mode             string
		saving, approval bool
	}{
		{"ask", true, true},
		{"off", false, true},
		{"on", true, false},
	} {
		v, err := f.b.SetSkillSaving(ctx, tc.mode)
		if err != nil {
			t.Fatalf("%s: %v", tc.mode, err)
		}
		if v.Saving != tc.saving || (tc.saving && v.Approval != tc.approval) {
			t.Errorf("%s: the page says saving %v, approval %v", tc.mode, v.Saving, v.Approval)
		}
		s := settings()
		if s.DisableSaving == tc.saving || (tc.saving && s.RequireApproval != tc.approval) {
			t.Errorf("%s: the settings file says %+v", tc.mode, s)
		}
		e, err := f.b.engine()
		if err != nil {
			t.Fatal(err)
		}
		if p := e.Policy(); p.SkillSaving != tc.saving || (tc.saving && p.SkillApproval != tc.approval) {
			t.Errorf("%s: the engine's policy: saving %v, approval %v", tc.mode, p.SkillSaving, p.SkillApproval)
		}
	}
	before, _ := os.ReadFile(config.SettingsPath(f.home))
	if _, err := f.b.SetSkillSaving(ctx, "sometimes"); err == nil || !strings.Contains(err.Error(), "choose on, ask or off") {
		t.Errorf("a mode that is none: %v", err)
	}
	if after, _ := os.ReadFile(config.SettingsPath(f.home)); string(after) != string(before) {
		t.Error("a refused mode changed the settings file")
	}
}
