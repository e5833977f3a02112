package clients

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
)

// cursorWithSecrets is a Cursor file holding other servers' secrets, in
// every place a client file keeps them.
const cursorWithSecrets = `{
  // the user's servers
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github", "--api-key=sk-arg-1", "--token", "tok-arg-2"],
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_secret123",
        "REGION": "eu-secret-region",
        "FROM_ENV": "${env:GH_TOKEN}"
      }
    },
    "remote": {
      "url": "https://bot:pw-55@mcp.example/v1",
      "headers": { "Authorization": "Bearer sk-header-3", "X-Ref": "Bearer ${env:REMOTE}" }
    }
  },
  "primaryApiKey": "sk-top-4"
}
`

var leaks = []string{"ghp_secret123", "eu-secret-region", "sk-arg-1", "tok-arg-2", "pw-55", "sk-header-3", "sk-top-4"}

// TestDiffMasksSecrets: the preview of a registration (the window's diff,
// register --dry-run) never shows another server's secret, and still
// shows the change and the values that are not secrets.
func TestDiffMasksSecrets(t *testing.T) {
	opts := tempHome(t)
	c := mustFind(t, "cursor")
	path := installed(t, c, opts)
	if err := os.WriteFile(path, []byte(cursorWithSecrets), 0o600); err != nil {
		t.Fatal(err)
	}
	opts.DryRun = true
	ch, err := c.Register(context.Background(), testEntry, opts)
	if err != nil {
		t.Fatal(err)
	}
	d := ch.Diff()
	for _, leak := range leaks {
		if strings.Contains(d, leak) {
			t.Errorf("the diff shows %q:\n%s", leak, d)
		}
	}
	for _, kept := range []string{`+    "mcp-conductor": {`, `"MCP_CONDUCTOR_HOME": "/home/alice/.mcp-conductor"`} {
		if !strings.Contains(d, kept) {
			t.Errorf("the diff lacks %q:\n%s", kept, d)
		}
	}
	// The whole file, masked, keeps its shape and every non-secret.
	m := string(maskSecrets(path, []byte(cursorWithSecrets)))
	for _, leak := range leaks {
		if strings.Contains(m, leak) {
			t.Errorf("masked file shows %q:\n%s", leak, m)
		}
	}
	for _, kept := range []string{"// the user's servers", `"FROM_ENV": "${env:GH_TOKEN}"`, `"X-Ref": "Bearer ${env:REMOTE}"`,
		`"--api-key=` + Masked + `"`, `"--token", "` + Masked + `"`, "https://bot:" + Masked + "@mcp.example/v1", `"-y"`} {
		if !strings.Contains(m, kept) {
			t.Errorf("masked file lacks %q:\n%s", kept, m)
		}
	}
	if strings.Count(m, "\n") != strings.Count(cursorWithSecrets, "\n") {
		t.Errorf("masking changed the lines:\n%s", m)
	}
}

func TestMaskTOMLAndBrokenJSON(t *testing.T) {
	codex := `[mcp_servers.github]
command = "npx"
env = { GITHUB_TOKEN = "ghp_inline1", MCP_CONDUCTOR_HOME = "/h" }

[mcp_servers.other.env]
API_KEY = "sk-table2"
REF = "${env:X}"

[mcp_servers.mcp-conductor]
command = "/h/bin/mcp-conductor"
bearer_token = "tok-3"
`
	m := string(maskSecrets("config.toml", []byte(codex)))
	for _, leak := range []string{"ghp_inline1", "sk-table2", "tok-3"} {
		if strings.Contains(m, leak) {
			t.Errorf("masked TOML shows %q:\n%s", leak, m)
		}
	}
	for _, kept := range []string{`MCP_CONDUCTOR_HOME = "/h"`, `REF = "${env:X}"`, `command = "/h/bin/mcp-conductor"`} {
		if !strings.Contains(m, kept) {
			t.Errorf("masked TOML lacks %q:\n%s", kept, m)
		}
	}
	broken := `{"mcpServers": {"a": {"env": {"API_TOKEN": "tok-9"}}`
	if m := string(maskSecrets("mcp.json", []byte(broken))); strings.Contains(m, "tok-9") {
		t.Errorf("a file that does not parse shows its token: %s", m)
	}
}

func TestMaskArgs(t *testing.T) {
	got := MaskArgs([]string{"--port", "8080", "--secret", "s1", "--key-file=/k", "--password=${env:P}", "https://u:p@h/x"})
	want := []string{"--port", "8080", "--secret", Masked, "--key-file=/k", "--password=${env:P}", "https://u:" + Masked + "@h/x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MaskArgs = %q, want %q", got, want)
	}
}

// TestDiffOfAMaskedChangeIsNotEmpty: a change to a secret alone still
// shows as a change.
func TestDiffOfAMaskedChangeIsNotEmpty(t *testing.T) {
	ch := &Change{Path: "mcp.json", Before: []byte(`{"env": {"TOKEN": "a"}}`), After: []byte(`{"env": {"TOKEN": "b"}}`)}
	if d := ch.Diff(); !strings.Contains(d, "only masked values change") {
		t.Errorf("diff = %q", d)
	}
}
