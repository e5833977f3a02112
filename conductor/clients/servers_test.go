package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServers(t *testing.T) {
	tests := []struct {
		name, client, file, content string
		want                        []string // "name=raw"
		wantErr                     string
	}{
		{name: "cursor with comments", client: "cursor", file: ".cursor/mcp.json",
			content: "{\n // mine\n \"mcpServers\": {\n  \"gh\": {\"url\": \"https://x\", /* c */ },\n  \"mcp-conductor\": {\"command\": \"/bin/c\"},\n  \"a\": {\"command\": \"x\"}\n }\n}",
			want:    []string{`a={"command":"x"}`, `gh={"url":"https://x"}`}},
		{name: "claude desktop", client: "claude-desktop", file: ".config/Claude/claude_desktop_config.json",
			content: `{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "fs"]}}}`,
			want:    []string{`fs={"command":"npx","args":["-y","fs"]}`}},
		{name: "no file", client: "cursor"},
		{name: "no servers key", client: "cursor", file: ".cursor/mcp.json", content: `{"other": 1}`},
		{name: "unparsable", client: "cursor", file: ".cursor/mcp.json", content: "{\n\"mcpServers\": {,}}", wantErr: ":2:"},
		{name: "codex is TOML", client: "codex", wantErr: "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			if tt.file != "" {
				p := filepath.Join(home, tt.file)
				os.MkdirAll(filepath.Dir(p), 0o700)
				os.WriteFile(p, []byte(tt.content), 0o600)
			}
			c, err := Find(tt.client)
			if err != nil {
				t.Fatal(err)
			}
			path, got, err := c.Servers(Options{Env: Env{GOOS: "linux", Home: home}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.file != "" && path != filepath.Join(home, tt.file) {
				t.Errorf("path = %s", path)
			}
			var flat []string
			for _, e := range got {
				flat = append(flat, e.Name+"="+string(e.Raw))
			}
			if strings.Join(flat, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("servers:\n%s\nwant:\n%s", strings.Join(flat, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
