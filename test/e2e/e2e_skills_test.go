package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Skills: code saved with save_skill and imported by later executions as
// "skills/<name>". The adversarial tests plant canaries (a secret outside
// the grants, in the conductor's folder, behind a link in the skills
// folder; a skill file's content) and check the canary itself.

// callTool calls a tool and returns its structured result (or its text
// when it failed).
func (c *conductor) callTool(name string, args map[string]any) (json.RawMessage, bool) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	res, err := c.session.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		c.t.Fatalf("CallTool %s: %v", name, err)
	}
	if res.IsError {
		var text []string
		for _, ct := range res.Content {
			if tc, ok := ct.(*mcp.TextContent); ok {
				text = append(text, tc.Text)
			}
		}
		b, _ := json.Marshal(strings.Join(text, "\n"))
		return b, true
	}
	b, _ := json.Marshal(res.StructuredContent)
	return b, false
}

func (c *conductor) saveSkill(name, description, source string) (json.RawMessage, bool) {
	c.t.Helper()
	return c.callTool("save_skill", map[string]any{"name": name, "description": description, "source": source})
}

func (c *conductor) skillsDir() string { return filepath.Join(c.home, ".mcp-conductor", "skills") }

type listedSkills struct {
	Skills []struct {
		Name, Description, Import, Problem string
		Exports                            []struct{ Name, Kind, Signature, Doc string }
	}
	Saving, Approval bool
}

func (c *conductor) listSkills() listedSkills {
	c.t.Helper()
	raw, failed := c.callTool("list_skills", nil)
	if failed {
		c.t.Fatalf("list_skills: %s", raw)
	}
	var out listedSkills
	if err := json.Unmarshal(raw, &out); err != nil {
		c.t.Fatalf("list_skills: %v: %s", err, raw)
	}
	return out
}

const mathSkill = `import { z } from "npm:zod";
/** Adds two numbers. */
export function add(a: number, b: number): number { return a + b }
export async function twice(s: string, opts?: { sep?: string }): Promise<string[]> { return [s, s] }
export const version = "1";
`

func TestSkillsSaveListImport(t *testing.T) {
	c := startConductor(t, "MCP_CONDUCTOR_ALLOWED_PACKAGES=npm:zod@^3")
	raw, failed := c.saveSkill("math", "Adds numbers.", strings.Replace(mathSkill, `import { z } from "npm:zod";`+"\n", "", 1))
	if failed {
		t.Fatalf("save_skill: %s", raw)
	}
	var saved struct {
		Name, Import string
		Replaced     bool
	}
	json.Unmarshal(raw, &saved)
	if saved.Import != "skills/math" || saved.Replaced {
		t.Errorf("saved: %s", raw)
	}
	if _, err := os.Stat(filepath.Join(c.skillsDir(), "math.ts")); err != nil {
		t.Fatalf("the skill's file: %v", err)
	}
	list := c.listSkills()
	if len(list.Skills) != 1 || !list.Saving || list.Approval {
		t.Fatalf("list_skills: %+v", list)
	}
	sigs := map[string]string{}
	for _, e := range list.Skills[0].Exports {
		sigs[e.Name] = e.Signature
	}
	want := map[string]string{
		"add":     "function add(a: number, b: number): number",
		"twice":   "async function twice(s: string, opts?: { sep?: string }): Promise<string[]>",
		"version": `const version: "1"`,
	}
	for k, v := range want {
		if sigs[k] != v {
			t.Errorf("signature of %s: %q, want %q", k, sigs[k], v)
		}
	}
	if list.Skills[0].Description != "Adds numbers." || list.Skills[0].Exports[0].Doc != "Adds two numbers." {
		t.Errorf("list_skills: %+v", list.Skills[0])
	}
	c.run(`import { add } from "skills/math"; add(2, 3)`, nil).mustSucceed(t)
	if r := c.run(`import { add } from "skills/math"; add(2, 3)`, nil).mustSucceed(t); r.ReturnValue != 5.0 {
		t.Errorf("add(2, 3) = %v", r.ReturnValue)
	}
	// A dynamic import with a literal, and one computed at run time.
	if r := c.run(`const m = await import("skills/" + ["ma", "th"].join("")); m.add(1, 1)`, nil).mustSucceed(t); r.ReturnValue != 2.0 {
		t.Errorf("computed import: %v", r.ReturnValue)
	}

	// Replacing: the skill is replaced, its old source kept as a backup,
	// and the next execution sees the new one; it may use the allowlist.
	raw, failed = c.saveSkill("math", "Adds numbers, and more.", strings.Replace(mathSkill, "a + b", "a + b + 100", 1))
	if failed {
		t.Fatalf("replace: %s", raw)
	}
	json.Unmarshal(raw, &saved)
	if !saved.Replaced {
		t.Errorf("replace: %s", raw)
	}
	if r := c.run(`import { add } from "skills/math"; add(2, 3)`, nil).mustSucceed(t); r.ReturnValue != 105.0 {
		t.Errorf("after replace add(2, 3) = %v", r.ReturnValue)
	}
	backups, _ := os.ReadDir(filepath.Join(c.home, ".mcp-conductor", "backups", "skills"))
	if len(backups) != 2 {
		t.Errorf("backups: %v", backups)
	}
	if r := c.run(`import { nope } from "skills/absent"; nope()`, nil).mustFail(t, "dependency"); !strings.Contains(r.Error.Message, "list_skills") {
		t.Errorf("missing skill: %s", r.raw)
	}

	// Each save is in the audit log.
	f, err := os.Open(filepath.Join(c.home, ".mcp-conductor", "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var saves []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		json.Unmarshal(sc.Bytes(), &rec)
		if rec["kind"] == "skill_saved" {
			saves = append(saves, rec)
		}
	}
	if len(saves) != 2 || saves[0]["skill"] != "math" || saves[1]["decision"] != "replaced" || saves[1]["ok"] != true || !strings.Contains(saves[1]["code"].(string), "a + b + 100") {
		t.Errorf("audit records: %v", saves)
	}
}

// TestSkillsRefused: what save_skill refuses is not saved, anywhere, and
// the refusal says why (a parse error with its position).
func TestSkillsRefused(t *testing.T) {
	c := startConductor(t)
	for _, tt := range []struct{ name, source, want string }{
		{"../escape", "export function f() {}", "not a skill name"},
		{"/tmp/escape", "export function f() {}", "not a skill name"},
		{`..\escape`, "export function f() {}", "not a skill name"},
		{"a/b", "export function f() {}", "not a skill name"},
		{"Upper", "export function f() {}", "not a skill name"},
		{"x.ts", "export function f() {}", "not a skill name"},
		{"con", "export function f() {}", "device name"},
		{"broken", "export function f( {\n", "skills/broken.ts:1:21"}, // Deno's message and position
		{"nofn", "export const x = 1", "exports no function"},
		{"leftpad", `import lp from "npm:left-pad"; export function f() { return lp }`, "allowlist"},
		{"local", `import "./other.ts"; export function f() {}`, "./other.ts"},
		{"outside", `import x from "skills/../settings.json"; export function f() {}`, "skills/../settings.json"},
		{"huge", "export function f() {}\n//" + strings.Repeat("x", 70<<10), "at most"},
	} {
		raw, failed := c.saveSkill(tt.name, "a test", tt.source)
		if !failed || !strings.Contains(string(raw), tt.want) {
			t.Errorf("save_skill(%q): failed=%v %s, want an error with %q", tt.name, failed, raw, tt.want)
		}
	}
	entries, _ := os.ReadDir(c.skillsDir())
	if len(entries) != 0 {
		t.Errorf("the skills folder holds %v", entries)
	}
	for _, p := range []string{filepath.Join(c.home, ".mcp-conductor", "escape.ts"), filepath.Join(c.home, ".mcp-conductor", "escape.json"), "/tmp/escape.ts", filepath.Join(c.home, "escape.ts")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
	if l := c.listSkills(); len(l.Skills) != 0 {
		t.Errorf("list_skills: %+v", l)
	}
}

// TestSkillsSavingOff: the administrator's switch removes save_skill;
// skills already saved stay importable.
func TestSkillsSavingOff(t *testing.T) {
	home := t.TempDir()
	conductorHome := filepath.Join(home, ".mcp-conductor")
	writeFile(t, filepath.Join(conductorHome, "settings.json"), `{"skills": {"disableSaving": true}}`)
	writeFile(t, filepath.Join(conductorHome, "skills", "placed.ts"), "export function hello(): string { return 'placed by the administrator' }\n")
	c := startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+conductorHome)
	c.home = home
	if d := c.toolDescription("save_skill"); d != "" {
		t.Errorf("save_skill is offered: %s", d)
	}
	if res, err := c.session.CallTool(context.Background(), &mcp.CallToolParams{Name: "save_skill", Arguments: map[string]any{"name": "x", "description": "x", "source": "export function f() {}"}}); err == nil {
		t.Errorf("save_skill answered: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(conductorHome, "skills", "x.ts")); err == nil {
		t.Error("x.ts was saved")
	}
	l := c.listSkills()
	if l.Saving || len(l.Skills) != 1 || l.Skills[0].Exports[0].Signature != "function hello(): string" {
		t.Errorf("list_skills: %+v", l)
	}
	if r := c.run(`import { hello } from "skills/placed"; hello()`, nil).mustSucceed(t); r.ReturnValue != "placed by the administrator" {
		t.Errorf("hello() = %v", r.ReturnValue)
	}
}
