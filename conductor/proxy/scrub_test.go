package proxy

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestScrubString(t *testing.T) {
	s := (*secretSet)(nil).with("s3cret-token", "abcd", "cdef", `q"uote`, "D]xy", "abc", "REDACTED")
	tests := []struct{ in, want string }{
		{"", ""},
		{"nothing here", "nothing here"},
		{"token=s3cret-token;", "token=[REDACTED];"},
		{"s3cret-tokens3cret-token", "[REDACTED][REDACTED]"},
		{"abcdef", "[REDACTED]"}, // overlapping secrets: no piece of either survives
		{"xabcdabcdx", "x[REDACTED][REDACTED]x"},
		{"abc", "abc"},                            // shorter than minSecretLen: not a secret
		{`{"k":"q\"uote"}`, `{"k":"[REDACTED]"}`}, // found JSON-escaped in raw text
		{"q%22uote", "[REDACTED]"},                // and URL-escaped
		{"abcdxy", "[REDACTE[REDACTED]"},          // a secret spanning a marker is replaced too
		{"REDACTED stays", "REDACTED stays"},      // the marker's own text is not a secret
	}
	for _, tt := range tests {
		if got := s.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var none *secretSet
	if got := none.String("s3cret-token"); got != "s3cret-token" {
		t.Errorf("the empty set changed %q", got)
	}
}

func TestScrubValue(t *testing.T) {
	const secret = `tok"<en>\1234`
	s := (*secretSet)(nil).with(secret, "98765432")
	blob := []byte("\x89PNG before " + secret + " after")
	cleanBlob := []byte("\x89PNG before " + Redacted + " after")
	in := map[string]any{
		"text":         "Bearer " + secret,
		secret:         map[string]any{"deeper": []any{secret, 1.5, true, nil}},
		"number":       json.Number("98765432"),
		"float":        98765432.0,
		"other":        "left alone: tok, <en>, 1234",
		"data":         base64.StdEncoding.EncodeToString(blob),
		"notBase64":    map[string]any{"blob": "not base64 " + secret},
		"cleanPicture": map[string]any{"data": base64.StdEncoding.EncodeToString([]byte("no secret"))},
	}
	got, err := s.Value(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"text":         "Bearer " + Redacted,
		Redacted:       map[string]any{"deeper": []any{Redacted, json.Number("1.5"), true, nil}},
		"number":       Redacted,
		"float":        Redacted,
		"other":        "left alone: tok, <en>, 1234",
		"data":         base64.StdEncoding.EncodeToString(cleanBlob),
		"notBase64":    map[string]any{"blob": "not base64 " + Redacted},
		"cleanPicture": map[string]any{"data": base64.StdEncoding.EncodeToString([]byte("no secret"))},
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("Value:\n%s", gb)
	}
}

func TestScrubMCPResults(t *testing.T) {
	const secret = "canary-0123456789"
	s := (*secretSet)(nil).with(secret)
	res := &mcp.CallToolResult{Content: []mcp.Content{
		&mcp.TextContent{Text: "got " + secret},
		&mcp.ImageContent{MIMEType: "image/png", Data: []byte("img:" + secret)},
		&mcp.AudioContent{MIMEType: "audio/wav", Data: []byte(secret)},
		&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: "x://" + secret, Blob: []byte("blob " + secret)}},
	}}
	v, err := s.Value(res)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	var back mcp.CallToolResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("the scrubbed result is no longer a tool result: %v\n%s", err, b)
	}
	if strings.Contains(string(b), secret) {
		t.Fatalf("secret left in %s", b)
	}
	if got := back.Content[0].(*mcp.TextContent).Text; got != "got "+Redacted {
		t.Errorf("text %q", got)
	}
	if got := string(back.Content[1].(*mcp.ImageContent).Data); got != "img:"+Redacted {
		t.Errorf("image %q", got)
	}
	if got := string(back.Content[2].(*mcp.AudioContent).Data); got != Redacted {
		t.Errorf("audio %q", got)
	}
	if r := back.Content[3].(*mcp.EmbeddedResource).Resource; string(r.Blob) != "blob "+Redacted || r.URI != "x://"+Redacted {
		t.Errorf("resource %q %q", r.URI, r.Blob)
	}
}

func TestScrubError(t *testing.T) {
	s := (*secretSet)(nil).with("pw-canary")
	err := s.Error(fmt.Errorf("MCP server %q is %w (url http://u:pw-canary@h)", "x", ErrDisabled))
	if err.Error() != `MCP server "x" is disabled in mcp-config.json (url http://u:[REDACTED]@h)` {
		t.Errorf("message %q", err)
	}
	if !errors.Is(err, ErrDisabled) {
		t.Error("errors.Is lost the wrapped error")
	}
	if errors.Unwrap(err) != nil {
		t.Error("the unredacted error is reachable")
	}
	if s.Error(nil) != nil {
		t.Error("nil error became an error")
	}
}
