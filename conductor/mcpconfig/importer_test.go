package mcpconfig

import (
	"reflect"
	"strings"
	"testing"
)

func TestFromClientEntry(t *testing.T) {
	tests := []struct {
		name, raw string
		want      Server
		dropped   []string
		wantErr   string
	}{
		{name: "claude desktop stdio", raw: `{"command": "npx", "args": ["-y", "pkg"], "env": {"K": "v"}}`,
			want: Server{Command: "npx", Args: []string{"-y", "pkg"}, Env: map[string]string{"K": "v"}}},
		{name: "cursor stdio with a type and extras", raw: `{"type": "stdio", "command": "x", "autoApprove": ["a"], "timeout": 5}`,
			want: Server{Command: "x"}, dropped: []string{"autoApprove", "timeout"}},
		{name: "cursor url", raw: `{"url": "https://x/mcp", "headers": {"Authorization": "Bearer t"}}`,
			want: Server{URL: "https://x/mcp", Headers: map[string]string{"Authorization": "Bearer t"}}},
		{name: "windsurf serverUrl", raw: `{"serverUrl": "https://x/sse", "type": "sse"}`, want: Server{URL: "https://x/sse", Type: "sse"}},
		{name: "cline streamableHttp", raw: `{"type": "streamableHttp", "url": "https://x"}`, want: Server{URL: "https://x", Type: "http"}},
		{name: "gemini httpUrl", raw: `{"httpUrl": "https://x", "disabled": true}`, want: Server{URL: "https://x", Disabled: true}},
		{name: "neither command nor url", raw: `{"foo": 1}`, wantErr: `needs "command"`},
		{name: "wrong type of value", raw: `{"command": 3}`, wantErr: "command"},
		{name: "not an object", raw: `[1]`, wantErr: "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dropped, err := FromClientEntry("srv", []byte(tt.raw))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Name = "srv"
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if !reflect.DeepEqual(dropped, tt.dropped) {
				t.Errorf("dropped %v, want %v", dropped, tt.dropped)
			}
		})
	}
}
