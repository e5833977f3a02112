package clients

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestCRLFFileStaysCRLF: registering into a file with Windows line endings
// (JSON and TOML) adds lines that end in "\r\n" too, and unregistering gives
// the file back as it was.
func TestCRLFFileStaysCRLF(t *testing.T) {
	for _, tc := range []struct{ id, content string }{
		{"claude-desktop", "{\r\n  \"mcpServers\": {\r\n    \"a\": {\"command\": \"a\"}\r\n  },\r\n  \"theme\": \"dark\"\r\n}\r\n"},
		{"codex", "model = \"x\"\r\n\r\n[mcp_servers.a]\r\ncommand = \"a\"\r\n"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			opts := tempHome(t)
			c := mustFind(t, tc.id)
			path := installed(t, c, opts)
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Register(context.Background(), testEntry, opts); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(path)
			if lone := bytes.Count(b, []byte("\n")) - bytes.Count(b, []byte("\r\n")); lone != 0 || !strings.Contains(string(b), ServerName) {
				t.Fatalf("%d lines end in a bare LF after registering:\n%q", lone, b)
			}
			if st := c.Status(testEntry, opts); st.State != Registered {
				t.Fatalf("state %v", st.State)
			}
			if _, err := c.Unregister(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(path); string(b) != tc.content {
				t.Errorf("after unregistering: %q, want %q", b, tc.content)
			}
		})
	}
	if isCRLF([]byte("a\r\nb\n")) || isCRLF(nil) || !isCRLF([]byte("a\r\n")) {
		t.Error("isCRLF takes a mixed or empty file for CRLF, or a CRLF file not")
	}
}
