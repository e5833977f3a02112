package mcpconfig

import (
	"strings"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"delete_*", "delete_repo/force", true}, // path.Match stops '*' at '/'
		{"delete_*", "delete_", true},
		{"delete_*", "undelete_repo", false},
		{"delete_*", "delete", false},
		{"*", "", true},
		{"*", "a/b/c", true},
		{"*", "a.b", true},
		{"*", "überprüfen/日本", true},
		{"*/force", "delete_repo/force", true},
		{"*/force", "delete_repo/forced", false},
		{"repo/*/delete", "repo/a/b/delete", true},
		{"repo/*/delete", "repo/delete", false},
		{"?", "/", true},
		{"?", "é", true}, // one character, two bytes
		{"?", "ab", false},
		{"??", "日本", true},
		{"get?env", "get-env", true},
		{"get?env", "get--env", false},
		{"*.read", "fs.read", true},
		{"*.read", "fsXread", false}, // '.' is literal, not a regexp
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"*a*a*a*a*a*b", strings.Repeat("a", 200), false}, // must not blow up
		{"trigger-*-request*", "trigger-sampling-request", true},
		{"trigger-*-request*", "trigger-sampling-request-async", true},
		{"Read", "read", false}, // case matters
		{"exact", "exact", true},
		{"exact", "exact/", false},
		{"**", "x/y", true},
		{"*?", "", false},
		{"*?", "日", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.name); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestCheckGlob(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		ok      bool
	}{
		{"delete_*", true},
		{"a?b", true},
		{"日本*", true},
		{"", false},
		{"[a-z]*", false}, // would have been a character class for path.Match
		{"a]", false},
		{`\*`, false},
		{"\xff", false},
	} {
		if err := checkGlob(tt.pattern); (err == nil) != tt.ok {
			t.Errorf("checkGlob(%q) = %v, want ok=%v", tt.pattern, err, tt.ok)
		}
	}
}

func TestToolPatternsAreCheckedWhenParsed(t *testing.T) {
	cfg, err := Parse("mcp-config.json", []byte(`{"mcpServers": {
		"ok":  {"command": "x", "denyTools": ["delete_*"]},
		"bad": {"command": "x", "denyTools": ["[a-z]*"]}
	}}`), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cfg.Servers {
		switch s.Name {
		case "ok":
			if s.Err != nil || s.ToolAllowed("delete_repo/force") || !s.ToolAllowed("read_repo/force") {
				t.Errorf("ok: err %v, delete_repo/force allowed %v", s.Err, s.ToolAllowed("delete_repo/force"))
			}
		case "bad":
			if s.Err == nil || !strings.Contains(s.Err.Error(), `tool pattern "[a-z]*"`) {
				t.Errorf("bad: err = %v", s.Err)
			}
		}
	}
}
