package backend

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// saveFromModel saves a skill as an AI client does: save_skill through the
// backend's endpoint, with the real go-sdk client.
func saveFromModel(t *testing.T, b *Backend, name, description, source string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ep := b.EndpointStatus(ctx)
	token, err := b.Token()
	if err != nil || !ep.Running {
		t.Fatalf("endpoint %+v, token: %v", ep, err)
	}
	hc := &http.Client{Transport: bearer{token}}
	s, err := mcp.NewClient(&mcp.Implementation{Name: "model", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: ep.URL, HTTPClient: hc}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "save_skill", Arguments: map[string]any{"name": name, "description": description, "source": source}})
	if err != nil || res.IsError {
		t.Fatalf("save_skill: %+v, %v", res, err)
	}
}

// TestSkillEditor: a skill a model saved is opened, edited and saved from
// the Skills page (the old file kept as a backup, the save audited under
// the page's name); a source Deno cannot read, a name that is a path, a
// skill saved again by the model since it was opened, and a new skill
// whose name is taken are each refused with nothing written.
func TestSkillEditor(t *testing.T) {
	f := withDeno(t)
	ctx := context.Background()
	dir := filepath.Join(f.home, "skills")
	file := filepath.Join(dir, "greet.ts")
	backups := filepath.Join(f.home, "backups", "skills")
	v1 := "export function greet(name: string): string { return `hello ${name}` }\n"
	saveFromModel(t, f.b, "greet", "Greets someone.", v1)

	// A name that is a path opens nothing: the canary beside the folder
	// stays unread.
	canary := "canary-9f2c"
	if err := os.WriteFile(filepath.Join(f.home, "secret.ts"), []byte(canary), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../secret", filepath.Join(f.home, "secret"), "absent"} {
		d, err := f.b.OpenSkill(bad)
		if err == nil || d.Source != "" || strings.Contains(err.Error(), canary) {
			t.Errorf("OpenSkill(%q) = %+v, %v", bad, d, err)
		}
	}

	d, err := f.b.OpenSkill("greet")
	if err != nil || d.Source != v1 || d.Description != "Greets someone." || d.Revision == "" {
		t.Fatalf("OpenSkill: %+v, %v", d, err)
	}
	v2 := "/** Greets warmly. */\nexport function greet(name: string): string { return `hello, dear ${name}` }\n"
	d.Source, d.Description = v2, "Greets someone warmly."
	r, err := f.b.SaveSkill(ctx, d)
	if err != nil || r.Problem != nil || r.Saved == nil || r.View == nil {
		t.Fatalf("SaveSkill: %+v, %v", r, err)
	}
	if got, _ := os.ReadFile(file); string(got) != v2 {
		t.Errorf("greet.ts = %q, want the edit", got)
	}
	if r.Saved.Source != v2 || r.Saved.Revision == d.Revision || len(r.View.Skills) != 1 || r.View.Skills[0].Exports[0].Doc != "Greets warmly." {
		t.Errorf("after the save: %+v", r)
	}
	if got := backupsOf(t, backups, "_greet.ts"); len(got) != 1 || got[0] != v1 {
		t.Errorf("backups of greet.ts: %q, want the model's version", got)
	}
	changes, err := f.b.SkillChanges(0)
	if err != nil || len(changes) == 0 || changes[0].Client != SkillsClient || changes[0].Action != "replaced" || !changes[0].OK || changes[0].Source != v2 {
		t.Fatalf("the newest skill change: %+v, %v", changes, err)
	}

	// Refusals: each leaves the file and the backups as they are.
	cur := *r.Saved
	missing := cur
	missing.Name = "absent"
	tests := []struct {
		name    string
		draft   SkillDraft
		message string
		line    int
		column  int
		changed bool
	}{
		{"a source Deno cannot read", SkillDraft{Name: "greet", Description: "x", Source: "export function greet(name: string) {\n  return `hi ${name`\n}\n", Revision: cur.Revision},
			"Unterminated template", 2, 20, false},
		{"a name that is a path", SkillDraft{Name: "../settings", Description: "x", Source: v2}, "not a skill name", 0, 0, false},
		{"an empty description", SkillDraft{Name: "greet", Description: " ", Source: v2, Revision: cur.Revision}, "description is empty", 0, 0, false},
		{"a stale revision", SkillDraft{Name: "greet", Description: "x", Source: v2 + "// mine\n", Revision: d.Revision}, "changed since you opened it", 0, 0, true},
		{"a new skill whose name is taken", SkillDraft{Name: "greet", Description: "x", Source: v2}, "exists already", 0, 0, true},
		{"a skill deleted since", missing, "changed since you opened it", 0, 0, true},
	}
	for _, tt := range tests {
		r, err := f.b.SaveSkill(ctx, tt.draft)
		if err != nil || r.Problem == nil || r.Saved != nil {
			t.Errorf("%s: %+v, %v; want a problem", tt.name, r, err)
			continue
		}
		p := r.Problem
		if !strings.Contains(p.Message, tt.message) || p.Line != tt.line || p.Column != tt.column || p.Changed != tt.changed {
			t.Errorf("%s: problem %+v, want %q at %d:%d changed=%v", tt.name, p, tt.message, tt.line, tt.column, tt.changed)
		}
		if strings.Contains(p.Message, f.home) || strings.Contains(p.Message, os.TempDir()) {
			t.Errorf("%s: the message names a path of this machine: %s", tt.name, p.Message)
		}
		if got, _ := os.ReadFile(file); string(got) != v2 {
			t.Errorf("%s: greet.ts = %q, want it unchanged", tt.name, got)
		}
		if got := backupsOf(t, backups, "_greet.ts"); len(got) != 1 {
			t.Errorf("%s: %d backups of greet.ts, want 1", tt.name, len(got))
		}
	}
	if _, err := os.Stat(filepath.Join(f.home, "settings.ts")); err == nil {
		t.Error("a skill was written outside the skills folder")
	}
	if _, err := os.Stat(filepath.Join(dir, "absent.ts")); err == nil {
		t.Error("a deleted skill was written again")
	}

	// The model saves again while the page has the skill open: the page's
	// save is refused and the model's version stays; reloading gives it.
	open, err := f.b.OpenSkill("greet")
	if err != nil {
		t.Fatal(err)
	}
	v3 := "export function greet(name: string): string { return `hi ${name}` }\n"
	saveFromModel(t, f.b, "greet", "Greets someone warmly.", v3)
	open.Source = v2 + "// the page's edit\n"
	r, err = f.b.SaveSkill(ctx, open)
	if err != nil || r.Problem == nil || !r.Problem.Changed {
		t.Fatalf("a save over the model's: %+v, %v", r, err)
	}
	if got, _ := os.ReadFile(file); string(got) != v3 {
		t.Errorf("greet.ts = %q, want the model's save kept", got)
	}
	reloaded, err := f.b.OpenSkill("greet")
	if err != nil || reloaded.Source != v3 || reloaded.Revision == open.Revision {
		t.Fatalf("reload: %+v, %v", reloaded, err)
	}
	reloaded.Source = v3 + "// the page's edit\n"
	if r, err := f.b.SaveSkill(ctx, reloaded); err != nil || r.Problem != nil {
		t.Fatalf("the save after a reload: %+v, %v", r, err)
	}

	// A new skill; the administrator's "saving off" is about AI clients,
	// not the person at the desktop.
	p, _ := f.b.policy()
	s := p.Settings
	s.Skills.DisableSaving = true
	if err := f.b.saveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	add := "export const add = (a: number, b: number): number => a + b\nexport function twice(n: number) { return add(n, n) }\n"
	r, err = f.b.SaveSkill(ctx, SkillDraft{Name: "math", Description: "Adds.", Source: add})
	if err != nil || r.Problem != nil || r.View == nil || len(r.View.Skills) != 2 || r.View.Saving {
		t.Fatalf("a new skill with saving off: %+v, %v", r, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "math.ts")); string(got) != add {
		t.Errorf("math.ts = %q", got)
	}
}

// backupsOf returns the contents of the backups whose names end in suffix.
func backupsOf(t *testing.T, dir, suffix string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), suffix) {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
	}
	return out
}
