package proxy

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

func TestConfigSecrets(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("alice:open-sesame"))
	tests := []struct {
		name     string
		sc       mcpconfig.Server
		want     []string // must be secrets
		wantNone []string // must not be
	}{
		{name: "bearer header", sc: mcpconfig.Server{Headers: map[string]string{"Authorization": "Bearer ghp_abcdef", "Accept": "application/json"}},
			want: []string{"Bearer ghp_abcdef", "ghp_abcdef"}, wantNone: []string{"application/json", "Bearer"}},
		{name: "basic header", sc: mcpconfig.Server{Headers: map[string]string{"Proxy-Authorization": "Basic " + basic}},
			want: []string{basic, "alice:open-sesame", "alice", "open-sesame"}},
		{name: "names that look secret", sc: mcpconfig.Server{Headers: map[string]string{"X-Api-Key": "k-123456", "X-Auth-User": "bob-the-user", "X-Trace": "trace-1234"}},
			want: []string{"k-123456", "bob-the-user"}, wantNone: []string{"trace-1234"}},
		{name: "cookies", sc: mcpconfig.Server{Headers: map[string]string{"Cookie": "sid=abc123456; theme=dark-mode"}},
			want: []string{"sid=abc123456; theme=dark-mode", "abc123456", "dark-mode"}},
		{name: "env", sc: mcpconfig.Server{Command: "x", Env: map[string]string{"GITHUB_TOKEN": "ghp_1", "DB_PASSWORD": "hunter22", "MEMORY_FILE_PATH": "/data/m.jsonl"}},
			want: []string{"ghp_1", "hunter22"}, wantNone: []string{"/data/m.jsonl"}},
		{name: "url", sc: mcpconfig.Server{URL: "http://us%40er:p%2Fw@h:1/mcp?api_key=k%3D1&mode=fast&bare#frag"},
			want: []string{"us%40er:p%2Fw", "us%40er", "us@er", "p%2Fw", "p/w", "k%3D1", "k=1", "fast", "bare", "frag",
				base64.StdEncoding.EncodeToString([]byte("us@er:p/w"))},
			wantNone: []string{"api_key", "mode", "h:1", "/mcp"}},
		{name: "url placeholders are names", sc: mcpconfig.Server{URL: "https://h/mcp?key=${env:K}"}, wantNone: []string{"${env:K}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := configSecrets(tt.sc)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q is not a secret; got %q", w, got)
				}
			}
			for _, w := range tt.wantNone {
				if slices.Contains(got, w) {
					t.Errorf("%q is a secret; got %q", w, got)
				}
			}
		})
	}
}

func TestManagerSecrets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mcp-config.json")
	write := func(s string) {
		t.Helper()
		// A new size makes the change visible whatever the clock's resolution.
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"PLAIN": "plain-expanded-value", "TOK": "tok-0001", "SHORT": "ab"}
	write(`{"mcpServers": {
		"a": {"command": "x", "env": {"NOT_NAMED_SECRET": "pre-${env:PLAIN}-post"}},
		"b": {"url": "https://u-name:pw-0002@h/mcp?api_key=key-0003", "headers": {"Authorization": "Bearer ${env:TOK}", "X-Short": "${env:SHORT}"}}
	}}`)
	m := NewManager(path, Options{
		Getenv:  func(k string) string { return env[k] },
		BaseEnv: []string{"HTTPS_PROXY=http://proxy-user:proxy-pw-0004@proxy:3128", "PATH=/usr/bin"},
	})
	defer m.Close()
	for _, secret := range []string{"plain-expanded-value", "tok-0001", "Bearer tok-0001", "u-name", "pw-0002", "key-0003", "proxy-pw-0004"} {
		if got := m.Redact("<" + secret + ">"); got != "<"+Redacted+">" {
			t.Errorf("Redact(%q) = %q", secret, got)
		}
	}
	for _, plain := range []string{"pre-", "-post", "ab", "/usr/bin", "proxy:3128", "NOT_NAMED_SECRET", "https://"} {
		if got := m.Redact(plain); got != plain {
			t.Errorf("Redact(%q) = %q: not a secret", plain, got)
		}
	}
	// A secret that leaves the file stays scrubbed: an upstream of the old
	// configuration may still hold it.
	write(`{"mcpServers": {"c": {"command": "y"}}}`)
	if names := m.Names(); len(names) != 1 || names[0] != "c" {
		t.Fatalf("reload: %v", names)
	}
	if got := m.Redact("tok-0001"); got != Redacted {
		t.Errorf("after reload Redact = %q", got)
	}
}
