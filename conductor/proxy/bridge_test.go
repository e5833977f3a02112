package proxy

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// An upstream that knows the conductor's secret (it was sent the header)
// puts it in everything it can; no method may hand it to the code.
func TestEveryMethodIsScrubbed(t *testing.T) {
	const token = "tok-5f0c2a9e41d3b7"
	srv := mcp.NewServer(&mcp.Implementation{Name: "echo " + token, Version: token}, &mcp.ServerOptions{Instructions: "use " + token})
	everyFeature(srv, token)
	url := testUpstream(t, srv, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer "+token {
				http.Error(w, "no token", http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	m := testManager(t, map[string]any{"up": map[string]any{"url": url, "headers": map[string]string{"Authorization": "Bearer ${env:TOK}"}}}, Options{
		Getenv: func(k string) string { return map[string]string{"TOK": token}[k] },
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	for _, tt := range handleCalls {
		t.Run(tt.method, func(t *testing.T) {
			v, err := m.Handle(ctx, tt.method, json.RawMessage(tt.params))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(v)
			if strings.Contains(string(b), token) {
				t.Errorf("the token reached the code: %s", b)
			}
			if tt.method != "load" && !strings.Contains(string(b), Redacted) {
				t.Errorf("nothing was redacted, so the test proves nothing: %s", b)
			}
		})
	}
	t.Run("mcp types survive", func(t *testing.T) {
		v, _ := m.Handle(ctx, "getPrompt", json.RawMessage(`{"server":"up","name":"p"}`))
		b, _ := json.Marshal(v)
		var res mcp.GetPromptResult
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		if got := res.Messages[0].Content.(*mcp.TextContent).Text; got != "prompt "+Redacted {
			t.Errorf("text %q", got)
		}
		if got := string(res.Messages[1].Content.(*mcp.EmbeddedResource).Resource.Blob); got != Redacted {
			t.Errorf("blob %q", got)
		}
	})
	t.Run("Servers", func(t *testing.T) {
		b, _ := json.Marshal(m.Servers(ctx, true))
		if strings.Contains(string(b), token) || !strings.Contains(string(b), "use "+Redacted) {
			t.Errorf("servers: %s", b)
		}
	})
	t.Run("Tools", func(t *testing.T) {
		tools, err := m.Tools(ctx, "up")
		if err != nil || len(tools) != 1 || tools[0].Description != "tool "+Redacted || tools[0].Name != "t" {
			t.Errorf("tools %+v, %v", tools, err)
		}
	})
	t.Run("errors", func(t *testing.T) {
		_, err := m.Handle(ctx, "callTool", json.RawMessage(`{"server":"up","tool":"`+token+`"}`))
		if err == nil || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), Redacted) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLogIsScrubbed(t *testing.T) {
	logs := testenv.CaptureLogs(t)
	m := testManager(t, map[string]any{"up": map[string]any{"command": "x", "env": map[string]string{"K": "${env:K}"}}}, Options{
		Getenv: func(string) string { return "stderr-secret-1" },
		Logger: logs.Logger(),
	})
	p := &prefixLogger{line: m.upstreamLine, prefix: "up"}
	p.Write([]byte("starting with stderr-secret-1\npartial stderr-sec"))
	p.Write([]byte("ret-1 line\n"))
	want := []string{"starting with " + Redacted + " upstream=up", "partial " + Redacted + " line upstream=up"}
	if lines := logs.Lines(); strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("log %q, want %q", lines, want)
	}
}
