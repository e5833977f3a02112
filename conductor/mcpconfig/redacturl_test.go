package mcpconfig

import (
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://example.com/mcp", "https://example.com/mcp"},
		{"http://user:pw@127.0.0.1:8080/mcp?api_key=k1&mode=x", "http://REDACTED:REDACTED@127.0.0.1:8080/mcp?api_key=REDACTED&mode=REDACTED"},
		{"https://ghp_token@github.example/mcp", "https://REDACTED@github.example/mcp"},
		{"https://:pw@h/", "https://:REDACTED@h/"},
		{"https://h/mcp?bare-token", "https://h/mcp?REDACTED"},
		{"https://h/mcp?a=1&a=2&&b=", "https://h/mcp?a=REDACTED&a=REDACTED&&b="},
		{"https://h/mcp?key=a%2Fb%26c", "https://h/mcp?key=REDACTED"}, // nothing decoded leaks
		{"https://h/mcp#access_token=x", "https://h/mcp#REDACTED"},
		{"https://h/p@th?x=y", "https://h/p@th?x=REDACTED"}, // '@' in the path is not userinfo
		{"https://u:p@w@h/", "https://REDACTED:REDACTED@h/"},
		{"https://h/mcp?key=${env:API_KEY}", "https://h/mcp?key=${env:API_KEY}"}, // a reference is not a secret
		{"https://h/mcp?key=x${env:API_KEY}", "https://h/mcp?key=REDACTED"},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.raw); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestRestoreURL(t *testing.T) {
	stored := "https://user:pw@h.example/mcp?api_key=k1&a=1&a=2&bare#frag"
	tests := []struct {
		name, edited, stored, want, wantErr string
	}{
		{name: "unchanged", edited: RedactURL(stored), stored: stored, want: stored},
		{name: "new host, hidden parts kept", edited: "https://REDACTED:REDACTED@other.example/v2?api_key=REDACTED&a=REDACTED&a=3&REDACTED#REDACTED", stored: stored,
			want: "https://user:pw@other.example/v2?api_key=k1&a=1&a=3&bare#frag"},
		{name: "a typed value replaces", edited: "https://REDACTED:new@h.example/mcp?api_key=k2", stored: stored, want: "https://user:new@h.example/mcp?api_key=k2"},
		{name: "parts dropped", edited: "https://h.example/mcp", stored: stored, want: "https://h.example/mcp"},
		{name: "a new key cannot be hidden", edited: "https://h.example/mcp?token=REDACTED", stored: stored, wantErr: `"token" has no stored value`},
		{name: "a second value that was never stored", edited: "https://h.example/mcp?api_key=REDACTED&api_key=REDACTED", stored: stored, wantErr: `"api_key" has no stored value`},
		{name: "no stored password", edited: "https://u:REDACTED@h/", stored: "https://u@h/", wantErr: "password has no stored value"},
		{name: "no stored user", edited: "https://REDACTED@h/", stored: "https://h/", wantErr: "user name has no stored value"},
		{name: "new entry", edited: "https://h/mcp?k=v", stored: "", want: "https://h/mcp?k=v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RestoreURL(tt.edited, tt.stored)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("RestoreURL = %q, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("RestoreURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRedactURLRoundTrip(t *testing.T) {
	for _, raw := range []string{
		"http://user:pw@127.0.0.1:1/mcp?api_key=abc&x=1",
		"https://tok@h/mcp",
		"https://h/mcp?a=%2F%3D&b=c%20d&bare",
		"https://h/sse#f",
		"https://h/日本?q=ü",
	} {
		red := RedactURL(raw)
		for _, s := range URLSecrets(raw) {
			// Secrets under 4 bytes are not scrubbed (see proxy).
			if len(s) >= 4 && strings.Contains(red, s) {
				t.Errorf("RedactURL(%q) = %q still holds %q", raw, red, s)
			}
		}
		if got, err := RestoreURL(red, raw); err != nil || got != raw {
			t.Errorf("RestoreURL(RedactURL(%q)) = %q, %v", raw, got, err)
		}
	}
}
