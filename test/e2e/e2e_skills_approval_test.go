package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Skills under "skills": {"requireApproval": true}: save_skill asks the
// person first, through the same chain as a tool call made from code (the
// client by elicitation, else the desktop app, else no one), and nothing
// is written unless they allow it once.

// approvalHome is a conductor home whose settings require approval of
// every skill save.
func approvalHome(t *testing.T) string {
	chome := filepath.Join(t.TempDir(), ".mcp-conductor")
	writeFile(t, filepath.Join(chome, "settings.json"), `{"skills": {"requireApproval": true}}`)
	return chome
}

// savesAudited lists the audit log's records about skill saves: approvals
// of save_skill as "approval/<skill>/<via>/<approver>/<decision>/<ok>",
// saves as "saved/<skill>/<via>/<approver>/<ok>".
func savesAudited(t *testing.T, chome string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(chome, "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r struct {
			Kind, Tool, Skill, Via, Approver, Decision, Rule, Why string
			OK                                                    *bool
		}
		_ = json.Unmarshal([]byte(line), &r)
		ok := r.OK != nil && *r.OK
		switch {
		case r.Kind == "approval" && r.Tool == "save_skill":
			if r.Rule != "ask" || r.Why != "skills.requireApproval in settings.json" {
				t.Errorf("approval record's rule: %s", line)
			}
			out = append(out, fmt.Sprintf("approval/%s/%s/%s/%s/%v", r.Skill, r.Via, r.Approver, r.Decision, ok))
		case r.Kind == "skill_saved":
			out = append(out, fmt.Sprintf("saved/%s/%s/%s/%v", r.Skill, r.Via, r.Approver, ok))
		}
	}
	return out
}

// entries names what is in dir (nothing if it does not exist).
func entries(dir string) []string {
	es, _ := os.ReadDir(dir)
	var n []string
	for _, e := range es {
		n = append(n, e.Name())
	}
	return n
}

// offered records the choices each elicitation offered.
type offered struct {
	mu    sync.Mutex
	enums [][]any
}

func (o *offered) wrap(h func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error)) func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
	return func(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
		var schema struct {
			Properties map[string]struct{ Enum []any } `json:"properties"`
		}
		b, _ := json.Marshal(req.Params.RequestedSchema)
		_ = json.Unmarshal(b, &schema)
		o.mu.Lock()
		o.enums = append(o.enums, schema.Properties["decision"].Enum)
		o.mu.Unlock()
		return h(ctx, req)
	}
}

// A go-sdk client with elicitation is asked before a skill is saved, on
// the current protocol (rounds) and on 2025-11-25 (during the call): the
// question shows the name, the description, whether it replaces a skill
// and the source, and offers allow once and deny only. Allowed: saved and
// importable. Denied, declined, or answered with a choice a save does not
// offer: nothing written, no backup made, and the audit log says so.
func TestSkillApprovalByElicitation(t *testing.T) {
	for _, proto := range []string{"", "2025-11-25"} {
		t.Run("protocol "+firstNonEmptyString(proto, "latest"), func(t *testing.T) {
			chome := approvalHome(t)
			p, o := &person{}, &offered{}
			var sopts *mcp.ClientSessionOptions
			if proto != "" {
				sopts = &mcp.ClientSessionOptions{ProtocolVersion: proto}
			}
			c := startConductorWith(t, &mcp.ClientOptions{ElicitationHandler: o.wrap(p.handler)}, sopts, "MCP_CONDUCTOR_HOME="+chome)
			skills, backups := filepath.Join(chome, "skills"), filepath.Join(chome, "backups", "skills")
			if d := c.toolDescription("save_skill"); !strings.Contains(d, "requires approval") {
				t.Errorf("save_skill's description does not say saves are asked about: %s", d)
			}

			// Allowed once: saved, and later code imports it.
			p.say("allow once")
			src := "/** Greets. */\nexport function greet(who: string): string { return `hello ${who}` }\n"
			raw, failed := c.saveSkill("greeter", "Greets someone.", src)
			if failed {
				t.Fatalf("allowed save refused: %s", raw)
			}
			if r := c.run(`import { greet } from "skills/greeter"; greet("you")`, nil).mustSucceed(t); r.ReturnValue != "hello you" {
				t.Errorf("greet = %v", r.ReturnValue)
			}
			msgs := p.asked()
			if len(msgs) != 1 {
				t.Fatalf("asked %d times: %q", len(msgs), msgs)
			}
			for _, want := range []string{"e2e", `"greeter"`, "Greets someone.", "a new skill", "return `hello ${who}`", "skills.requireApproval"} {
				if !strings.Contains(msgs[0], want) {
					t.Errorf("the question lacks %q:\n%s", want, msgs[0])
				}
			}

			// Denied: the saved skill is untouched, and no backup is made
			// (nothing was replaced).
			canary := newCanary(t)
			evil := `export function greet(who: string): string { return "` + canary + `" }` + "\n"
			answers := []string{"deny", "decline"}
			if proto != "" {
				// Answers a save does not offer (go-sdk's client refuses to
				// send them in rounds; on 2025-11-25 they reach the server).
				answers = append(answers, "always allow this tool", "allow for this execution")
			}
			for _, answer := range answers {
				p.say(answer)
				raw, failed = c.saveSkill("greeter", "Greets, differently.", evil)
				if msg := string(raw); !failed || !strings.Contains(msg, "was not saved (nothing was written)") || !strings.Contains(msg, "the administrator can turn skills.requireApproval off in settings.json") {
					t.Errorf("%s: %s", answer, raw)
				}
			}
			if got := p.asked(); len(got) != 1+len(answers) || !strings.Contains(got[1], "replaces the saved skill") || !strings.Contains(got[1], canary) {
				t.Errorf("the questions about replacing: %q", got[1:])
			}
			if b, _ := os.ReadFile(filepath.Join(skills, "greeter.ts")); string(b) != src {
				t.Errorf("greeter.ts changed: %q", b)
			}
			if n := entries(backups); len(n) != 0 {
				t.Errorf("backups made for denied saves: %v", n)
			}
			if r := c.run(`import { greet } from "skills/greeter"; greet("you")`, nil).mustSucceed(t); r.ReturnValue != "hello you" {
				t.Errorf("greet = %v after denied saves", r.ReturnValue)
			}

			// A new skill, declined: no file.
			p.say("decline")
			if raw, failed := c.saveSkill("fresh", "Is new.", "export function f(): number { return 1 }\n"); !failed || !strings.Contains(string(raw), "e2e denied it") {
				t.Errorf("declined: %s", raw)
			}
			if n := entries(skills); strings.Join(n, ",") != "greeter.json,greeter.ts" {
				t.Errorf("the skills folder: %v", n)
			}

			// A source that fails the checks is refused without a question.
			before := len(p.asked())
			if raw, failed := c.saveSkill("broken", "Does not parse.", "export function (\n"); !failed {
				t.Errorf("broken source saved: %s", raw)
			}
			if len(p.asked()) != before {
				t.Errorf("the person was asked about a source that cannot be saved")
			}

			o.mu.Lock()
			for _, e := range o.enums {
				if fmt.Sprint(e) != "[allow once deny]" {
					t.Errorf("a save offered %v", e)
				}
			}
			o.mu.Unlock()
			want := []string{
				"approval/greeter/elicitation/e2e/allow once/true", "saved/greeter/elicitation/e2e/true",
				"approval/greeter/elicitation/e2e/deny/false", "saved/greeter/elicitation/e2e/false",
				"approval/greeter/elicitation/e2e/deny/false", "saved/greeter/elicitation/e2e/false",
			}
			if proto != "" {
				// An answer out of the schema is no answer: denied.
				want = append(want, "approval/greeter/elicitation///false", "saved/greeter/elicitation//false",
					"approval/greeter/elicitation///false", "saved/greeter/elicitation//false")
			}
			want = append(want, "approval/fresh/elicitation/e2e/deny/false", "saved/fresh/elicitation/e2e/false",
				"saved/broken///false")
			if got := savesAudited(t, chome); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("audited:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// A client without elicitation, and no desktop app: the save is denied,
// nothing is written, and the error says why and what to do.
func TestSkillApprovalNobodyToAskDenies(t *testing.T) {
	chome := approvalHome(t)
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome)
	if l := c.listSkills(); !l.Saving || !l.Approval {
		t.Errorf("list_skills does not say saves need approval: %+v", l)
	}
	raw, failed := c.saveSkill("nobody", "Asks no one.", "export function f(): number { return 1 }\n")
	msg := string(raw)
	for _, want := range []string{"not saved (nothing was written)", "no one could be asked", "does not support elicitation", "desktop app is not running", "turn skills.requireApproval off in settings.json"} {
		if !failed || !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "\\n") {
		t.Errorf("the error is not one line: %s", msg)
	}
	if n := entries(filepath.Join(chome, "skills")); len(n) != 0 {
		t.Errorf("written: %v", n)
	}
	want := []string{"approval/nobody/nobody///false", "saved/nobody/nobody//false"}
	if got := savesAudited(t, chome); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audited:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A client without elicitation, with the desktop app running: the app is
// asked (the client, the skill's name, description, source, whether it
// replaces one), and its answer decides; an answer a save does not offer,
// and no answer at all, deny.
func TestSkillApprovalByTheDesktopApp(t *testing.T) {
	chome := approvalHome(t)
	app := startApp(t, chome, "allow once", "deny", "allow for this execution", "never")
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_APPROVAL_TIMEOUT=300")
	src := "export function one(): number { return 1 }\n"
	if raw, failed := c.saveSkill("counted", "Counts to one.", src); failed {
		t.Fatalf("allowed by the app, refused: %s", raw)
	}
	if r := c.run(`import { one } from "skills/counted"; one()`, nil).mustSucceed(t); r.ReturnValue != 1.0 {
		t.Errorf("one() = %v", r.ReturnValue)
	}
	canary := newCanary(t)
	evil := `export function one(): string { return "` + canary + `" }` + "\n"
	for i, want := range []string{"the person at the desktop app denied it", "not one of the choices", "no answer within 300ms"} {
		raw, failed := c.saveSkill("counted", "Counts differently.", evil)
		if !failed || !strings.Contains(string(raw), want) || !strings.Contains(string(raw), "nothing was written") || !strings.Contains(string(raw), "turn skills.requireApproval off") {
			t.Errorf("answer %d: %s, want %q", i+2, raw, want)
		}
	}
	qs := app.asked()
	if len(qs) != 4 {
		t.Fatalf("the app was asked %d times: %+v", len(qs), qs)
	}
	q := qs[0]
	if q.Client != "e2e" || q.Skill == nil || q.Skill.Name != "counted" || q.Skill.Description != "Counts to one." || q.Skill.Source != src || q.Skill.Replaces || q.Tool != "" || q.Server != "" {
		t.Errorf("first question: %+v (skill %+v)", q, q.Skill)
	}
	if sk := qs[1].Skill; sk == nil || !sk.Replaces || sk.Source != evil {
		t.Errorf("second question: %+v", sk)
	}
	if b, _ := os.ReadFile(filepath.Join(chome, "skills", "counted.ts")); string(b) != src {
		t.Errorf("counted.ts changed: %q", b)
	}
	want := []string{
		"approval/counted/app/the person at the desktop app/allow once/true", "saved/counted/app/the person at the desktop app/true",
		"approval/counted/app/the person at the desktop app/deny/false", "saved/counted/app/the person at the desktop app/false",
		"approval/counted/app///false", "saved/counted/app//false",
		"approval/counted/app///false", "saved/counted/app//false",
	}
	if got := savesAudited(t, chome); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audited:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Code cannot save a skill around the approval: save_skill is a tool of
// the conductor's own MCP server, which is not among mcpFactory's
// servers, and the person (who would decline) is never asked. Writing the
// skills folder directly is refused whatever the grants: see
// TestSkillsFolderIsReadOnlyToCode, which grants write access to the
// folder holding the conductor's home.
func TestSkillApprovalCannotBeBypassedFromCode(t *testing.T) {
	chome := approvalHome(t)
	p := &person{}
	c := startConductorWith(t, &mcp.ClientOptions{ElicitationHandler: p.handler}, nil, "MCP_CONDUCTOR_HOME="+chome)
	canary := newCanary(t)
	src := jsString(`export function f(): string { return "` + canary + `" }`)
	r := c.run(`const out = { servers: await mcpFactory.listServers() };
for (const name of ["mcp-conductor", "conductor", "skills", ""]) {
  try { const s = await mcpFactory.load(name); out[name] = await s.callTool("save_skill", { name: "sneaky", description: "x", source: `+src+` }); }
  catch (e) { out[name || "empty"] = "refused: " + e.message }
}
out`, nil).mustSucceed(t)
	if strings.Contains(string(r.raw), `"servers":[{`) {
		t.Errorf("code sees servers: %s", r.raw)
	}
	if len(p.asked()) != 0 {
		t.Errorf("the person was asked: %q", p.asked())
	}
	if n := entries(filepath.Join(chome, "skills")); len(n) != 0 {
		t.Errorf("the skills folder: %v", n)
	}
	if b, _ := os.ReadFile(filepath.Join(chome, "logs", "audit.jsonl")); strings.Contains(string(b), `"skill_saved"`) {
		t.Errorf("a save was attempted: %s", b)
	}
}

// While the person is asked about a new skill, another save of that name
// lands (here, the administrator's file): the person's "allow once" does
// not replace what they were not asked about. Likewise a skill that
// changes while the person is asked about replacing it.
func TestSkillApprovalSkillChangedWhileAsked(t *testing.T) {
	chome := approvalHome(t)
	skills := filepath.Join(chome, "skills")
	p := &person{}
	var landed string
	p.before = func() {
		if landed != "" {
			writeFile(t, filepath.Join(skills, "racy.ts"), landed)
		}
	}
	c := startConductorWith(t, &mcp.ClientOptions{ElicitationHandler: p.handler}, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"}, "MCP_CONDUCTOR_HOME="+chome)
	canary := newCanary(t)
	src := `export function f(): string { return "` + canary + `" }` + "\n"
	for _, c2 := range []struct{ landed, want string }{
		{"export function f(): string { return 'landed first' }\n", "a skill of that name was saved while the person was asked about a new one"},
		{"export function f(): string { return 'changed meanwhile' }\n", "it was changed or deleted while the person was asked about replacing it"},
	} {
		landed = c2.landed
		p.say("allow once")
		raw, failed := c.saveSkill("racy", "Races.", src)
		if !failed || !strings.Contains(string(raw), c2.want) || !strings.Contains(string(raw), "nothing was written") {
			t.Errorf("%s", raw)
		}
		if b, _ := os.ReadFile(filepath.Join(skills, "racy.ts")); string(b) != c2.landed {
			t.Errorf("racy.ts holds %q, want what landed meanwhile", b)
		}
	}
	if n := entries(filepath.Join(chome, "backups", "skills")); len(n) != 0 {
		t.Errorf("backups made: %v", n)
	}
}
