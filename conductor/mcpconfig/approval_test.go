package mcpconfig

import (
	"os"
	"path/filepath"
	"testing"
)

func TestApprovalEdits(t *testing.T) {
	const start = `{
  // the administrator's servers
  "mcpServers": {
    "gh": {"command": "gh-mcp", "approval": {"ask": ["create_*", "merge_pr"], "deny": ["delete_repo"]}},
    "plain": {"command": "x"}
  }
}
`
	tests := []struct {
		name       string
		edit       func(path string) error
		want, gone []string
		check      func(t *testing.T, c *Config)
		wantErr    string
	}{
		{
			name: "always allow a tool a name asks for",
			edit: func(p string) error { return AllowTool(p, "gh", "merge_pr", EditOptions{}) },
			want: []string{"// the administrator's servers", `"allow": ["merge_pr"]`, `"create_*"`},
			check: func(t *testing.T, c *Config) {
				if r, _ := c.Servers[0].Approval.RuleFor("merge_pr"); r != RuleAllow {
					t.Errorf("merge_pr: %s", r)
				}
				if r, _ := c.Servers[0].Approval.RuleFor("create_issue"); r != RuleAsk {
					t.Errorf("create_issue: %s", r)
				}
			},
		},
		{
			name: "always allow a tool a pattern asks for",
			edit: func(p string) error { return AllowTool(p, "gh", "create_issue", EditOptions{}) },
			check: func(t *testing.T, c *Config) {
				if r, _ := c.Servers[0].Approval.RuleFor("create_issue"); r != RuleAllow {
					t.Errorf("create_issue: %s", r)
				}
				if r, _ := c.Servers[0].Approval.RuleFor("create_pr"); r != RuleAsk {
					t.Errorf("the pattern stopped asking for the others: %s", r)
				}
			},
		},
		{
			name: "always allow on an entry without approval",
			edit: func(p string) error { return AllowTool(p, "plain", "t", EditOptions{}) },
			check: func(t *testing.T, c *Config) {
				if r, _ := c.Servers[1].Approval.RuleFor("t"); r != RuleAllow {
					t.Errorf("t: %s", r)
				}
			},
		},
		{
			name:    "always allow on a missing server",
			edit:    func(p string) error { return AllowTool(p, "nope", "t", EditOptions{}) },
			wantErr: `no server named "nope"`,
		},
		{
			name: "ask for changes on, then off",
			edit: func(p string) error {
				if err := SetAskForChanges(p, true, EditOptions{}); err != nil {
					return err
				}
				c, _ := Load(p, nil)
				if !c.AskForChanges {
					t.Errorf("the switch did not turn on")
				}
				return SetAskForChanges(p, false, EditOptions{})
			},
			want: []string{"// the administrator's servers"},
			gone: []string{"askForChanges"},
		},
		{
			name: "editing an entry keeps its approval object when the form sends it",
			edit: func(p string) error {
				return SetServer(p, "gh", Server{Name: "gh", Command: "gh-mcp", Description: "GitHub",
					Approval: Approval{Default: RuleAsk, Deny: []string{"delete_repo"}}}, EditOptions{})
			},
			check: func(t *testing.T, c *Config) {
				a := c.Servers[0].Approval
				if a.Default != RuleAsk || len(a.Deny) != 1 || len(a.Ask) != 0 || c.Servers[0].Description != "GitHub" {
					t.Errorf("approval %+v", c.Servers[0])
				}
			},
		},
		{
			name: "a bad rule is refused",
			edit: func(p string) error {
				return SetServer(p, "gh", Server{Name: "gh", Command: "x", Approval: Approval{Default: "maybe"}}, EditOptions{})
			},
			wantErr: "use allow, ask or deny",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "mcp-config.json")
			if err := os.WriteFile(p, []byte(start), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, ok := checkEdit(t, p, start, tt.edit(p), tt.wantErr, tt.want, tt.gone); !ok {
				return
			}
			c, err := Load(p, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.Servers {
				if s.Err != nil {
					t.Errorf("%s: %v", s.Name, s.Err)
				}
			}
			if tt.check != nil {
				tt.check(t, c)
			}
			if backups, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "backups", "*")); len(backups) == 0 {
				t.Errorf("no backup made")
			}
		})
	}
}
