package mcpconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	env := map[string]string{"GH_TOKEN": "ghp_x"}
	cfg, err := Parse("mcp-config.json", []byte(`{
  // comments are fine
  "mcpServers": {
    "everything": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"], "denyTools": ["get-env", "trigger-*"]},
    "github": {"url": "https://api.example.com/mcp", "headers": {"Authorization": "Bearer ${env:GH_TOKEN}"}},
    "old": {"url": "http://127.0.0.1:1/sse", "type": "sse", "disabled": true},
    "broken": {"args": ["x"]},
    "typo": {"command": "x", "argz": []},
    "missing-env": {"command": "x", "env": {"K": "${env:NOPE}"}},
  },
}`), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Server{}
	for _, s := range cfg.Servers {
		byName[s.Name] = s
	}
	if s := byName["everything"]; s.Err != nil || s.Transport() != "stdio" || s.ToolAllowed("get-env") || s.ToolAllowed("trigger-sampling-request") || !s.ToolAllowed("echo") {
		t.Errorf("everything: %+v", s)
	}
	if s := byName["github"]; s.Err != nil || s.Transport() != "http" || s.Headers["Authorization"] != "Bearer ghp_x" {
		t.Errorf("github: %+v", s)
	}
	if s := byName["old"]; s.Err != nil || !s.Disabled || s.Transport() != "sse" {
		t.Errorf("old: %+v", s)
	}
	for name, want := range map[string]string{"broken": `needs "command"`, "typo": "unknown field", "missing-env": "${env:NOPE}"} {
		if s := byName[name]; s.Err == nil || !strings.Contains(s.Err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", name, s.Err, want)
		}
	}
}

func TestParseConfigErrorsNamePosition(t *testing.T) {
	_, err := Parse("/x/mcp-config.json", []byte("{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\" \"args\": []}\n  }\n}"), os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "/x/mcp-config.json: line 3, column") {
		t.Fatalf("err = %v", err)
	}
	_, err = Parse("f.json", []byte(`{"mcpServers": []}`), os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "mcpServers") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadConfigMissingFileIsEmpty(t *testing.T) {
	cfg, err := Load(filepath.Join(t.TempDir(), "none.json"), os.Getenv)
	if err != nil || len(cfg.Servers) != 0 {
		t.Fatalf("%v %v", cfg, err)
	}
}

func TestToolPolicy(t *testing.T) {
	for _, tt := range []struct {
		allow, deny []string
		tool        string
		want        bool
	}{
		{nil, nil, "x", true},
		{[]string{"read_*"}, nil, "read_file", true},
		{[]string{"read_*"}, nil, "write_file", false},
		{nil, []string{"write_*"}, "write_file", false},
		{[]string{"*"}, []string{"delete"}, "delete", false},
		{nil, []string{"delete_*"}, "delete_repo/force", false},
		{[]string{"repo/*"}, nil, "repo/a/b", true},
	} {
		c := Server{AllowTools: tt.allow, DenyTools: tt.deny}
		if got := c.ToolAllowed(tt.tool); got != tt.want {
			t.Errorf("allow %v deny %v: ToolAllowed(%q) = %v", tt.allow, tt.deny, tt.tool, got)
		}
	}
}
