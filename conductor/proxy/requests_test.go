package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// testUpstream serves srv over streamable HTTP for the test's lifetime.
func testUpstream(t *testing.T, srv *mcp.Server, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// testManager returns a Manager for an mcp-config.json holding servers.
func testManager(t *testing.T, servers map[string]any, opts Options) *Manager {
	t.Helper()
	b, err := json.Marshal(map[string]any{"mcpServers": servers})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mcp-config.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewManager(path, opts)
	t.Cleanup(m.Close)
	return m
}

// everyFeature adds a tool, a resource and a prompt to srv.
func everyFeature(srv *mcp.Server, text string) {
	srv.AddTool(&mcp.Tool{Name: "t", Description: "tool " + text, InputSchema: map[string]any{"type": "object"}},
		func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "called " + text}}}, nil
		})
	srv.AddResource(&mcp.Resource{URI: "test://r", Name: "r", Description: "resource " + text},
		func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{
				{URI: "test://r", MIMEType: "text/plain", Text: "read " + text},
				{URI: "test://r", MIMEType: "application/octet-stream", Blob: []byte("blob " + text)},
			}}, nil
		})
	srv.AddPrompt(&mcp.Prompt{Name: "p", Description: "prompt " + text},
		func(context.Context, *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{
				{Role: "user", Content: &mcp.TextContent{Text: "prompt " + text}},
				{Role: "user", Content: &mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: "test://r", Blob: []byte(text)}}},
			}}, nil
		})
}

// handleCalls are mcpFactory calls of every method, with the MCP request
// each sends last.
var handleCalls = []struct{ method, params, wire string }{
	{"load", `{"server":"up"}`, "tools/list"},
	{"search", `{"query":"tool","options":{"server":"up"}}`, "tools/list"},
	{"listTools", `{"server":"up"}`, "tools/list"},
	{"callTool", `{"server":"up","tool":"t","args":{}}`, "tools/call"},
	{"listResources", `{"server":"up"}`, "resources/list"},
	{"readResource", `{"server":"up","uri":"test://r"}`, "resources/read"},
	{"listPrompts", `{"server":"up"}`, "prompts/list"},
	{"getPrompt", `{"server":"up","name":"p","args":{}}`, "prompts/get"},
}

func TestEveryMethodIsTimeBounded(t *testing.T) {
	for _, tt := range handleCalls {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			// The upstream never answers the request under test, and ignores
			// cancellation, as a stuck server would.
			stuck := make(chan struct{})
			srv := mcp.NewServer(&mcp.Implementation{Name: "slow", Version: "1"}, nil)
			everyFeature(srv, "x")
			srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
				return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
					if method == tt.wire {
						<-stuck
					}
					return next(ctx, method, req)
				}
			})
			url := testUpstream(t, srv, nil)
			m := testManager(t, map[string]any{"up": map[string]any{"url": url}}, Options{CallTimeout: 300 * time.Millisecond})
			t.Cleanup(func() { close(stuck) }) // before the manager and the server close

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if tt.wire != "tools/list" {
				// Connect and cache the tools first, however long a slow
				// machine takes to answer within the short limit.
				for i := 0; i < 100; i++ {
					if _, err := m.Handle(ctx, "listTools", json.RawMessage(`{"server":"up"}`)); err == nil {
						break
					}
				}
			}
			v, err := m.Handle(ctx, tt.method, json.RawMessage(tt.params))
			if tt.method == "search" && err == nil {
				// A search answers for the servers it could read, and names
				// the others with their problem.
				b, _ := json.Marshal(v)
				var r SearchResult
				_ = json.Unmarshal(b, &r)
				if len(r.Unavailable) == 1 {
					err = errors.New(r.Unavailable[0].Error)
				}
			}
			if err == nil {
				t.Fatal("a call to a stuck server succeeded")
			}
			for _, want := range []string{`MCP server "up"`, tt.wire, "did not answer within 300ms"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if ctx.Err() != nil {
				t.Errorf("the call returned only when the test's own deadline passed: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestCallerCancellationIsNotATimeout(t *testing.T) {
	stuck := make(chan struct{})
	srv := mcp.NewServer(&mcp.Implementation{Name: "slow", Version: "1"}, nil)
	everyFeature(srv, "x")
	srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if method == "tools/call" {
				<-stuck
			}
			return next(ctx, method, req)
		}
	})
	url := testUpstream(t, srv, nil)
	m := testManager(t, map[string]any{"up": map[string]any{"url": url}}, Options{CallTimeout: time.Hour})
	t.Cleanup(func() { close(stuck) })
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := m.Handle(ctx, "listTools", json.RawMessage(`{"server":"up"}`)); err != nil {
		t.Fatal(err)
	}
	// The execution ends (its own time limit, or the client went away)
	// while the call waits; whenever it happens, it is not the upstream's
	// fault.
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := m.Handle(ctx, "callTool", json.RawMessage(`{"server":"up","tool":"t"}`))
	if err == nil || strings.Contains(err.Error(), "did not answer within") {
		t.Fatalf("err = %v, want the caller's cancellation", err)
	}
}
