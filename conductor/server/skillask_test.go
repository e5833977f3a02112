package server

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

func TestShownSource(t *testing.T) {
	lines := strings.Repeat("const x = 1;\n", 100) // 1300 bytes
	for _, c := range []struct {
		name, src string
		max       int
		want      string
		cut       bool
	}{
		{"fits", "abc", 3, "abc", false},
		{"after a line", lines, 1000, lines[:strings.LastIndexByte(lines[:1000], '\n')+1], true},
		{"no line near the end", strings.Repeat("a", 50) + "\n" + strings.Repeat("b", 100), 100, strings.Repeat("a", 50) + "\n" + strings.Repeat("b", 49), true},
		{"never inside a rune", strings.Repeat("é", 10), 5, "éé", true},
	} {
		got, cut := shownSource(c.src, c.max)
		if got != c.want || cut != c.cut || len(got) > c.max || !utf8.ValidString(got) {
			t.Errorf("%s: %q (cut %v), want %q (cut %v)", c.name, got, cut, c.want, c.cut)
		}
	}
}

// A skill save is asked with its own words and only the answers that make
// sense for it; an answer it does not offer is a denial.
func TestSkillQuestion(t *testing.T) {
	big := strings.Repeat("export function f() {}\n", 1000)
	for _, c := range []struct {
		name    string
		sk      proxy.SkillSave
		want    []string
		wantNot []string
		client  string
	}{
		{name: "new", client: "cursor", sk: proxy.SkillSave{Name: "csv", Description: "Parses CSV.", Source: "export function parse() {}\n"},
			want: []string{`cursor wants to save the skill "csv"`, "skills/csv", "a new skill", "Description: Parses CSV.", "Its source (27 bytes):\nexport function parse() {}", "skills.requireApproval in settings.json"}},
		{name: "replaces", sk: proxy.SkillSave{Name: "csv", Description: "d", Source: "x", Replaces: true},
			want: []string{"An MCP client wants", "replaces the saved skill of that name"}, wantNot: []string{"a new skill"}},
		{name: "capped", sk: proxy.SkillSave{Name: "big", Description: "d", Source: big},
			want: []string{fmt.Sprintf("of its %d bytes of source (the rest is not shown here", len(big))}},
	} {
		p := elicitParams(c.client, proxy.ApprovalRequest{Why: skillApprovalWhy, Skill: &c.sk})
		for _, w := range c.want {
			if !strings.Contains(p.Message, w) {
				t.Errorf("%s: the question lacks %q:\n%s", c.name, w, p.Message)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(p.Message, w) {
				t.Errorf("%s: the question says %q:\n%s", c.name, w, p.Message)
			}
		}
		if len(p.Message) > maxShownSource+1024 {
			t.Errorf("%s: the question is %d bytes", c.name, len(p.Message))
		}
		enum := p.RequestedSchema.(map[string]any)["properties"].(map[string]any)[decisionField].(map[string]any)["enum"]
		if fmt.Sprint(enum) != "[allow once deny]" {
			t.Errorf("%s: offered %v", c.name, enum)
		}
	}
	req := proxy.ApprovalRequest{Skill: &proxy.SkillSave{Name: "x"}}
	for answer, want := range map[string]proxy.Choice{
		"allow once": proxy.ChoiceOnce, "deny": proxy.ChoiceDeny,
		"allow for this execution": proxy.ChoiceDeny, "always allow this tool": proxy.ChoiceDeny, "yes": proxy.ChoiceDeny,
	} {
		if got := answerOf("c", req, &mcp.ElicitResult{Action: "accept", Content: map[string]any{decisionField: answer}}); got.Choice != want {
			t.Errorf("%q read as %q, want %q", answer, got.Choice, want)
		}
	}
	// A tool call still offers all four.
	if got := answerOf("c", proxy.ApprovalRequest{Server: "s", Tool: "t"}, &mcp.ElicitResult{Action: "accept", Content: map[string]any{decisionField: "always allow this tool"}}); got.Choice != proxy.ChoiceAlways {
		t.Errorf("a tool call's always read as %q", got.Choice)
	}
}
