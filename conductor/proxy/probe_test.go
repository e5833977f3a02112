package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func TestProbeServer(t *testing.T) {
	node := testenv.Node(t)
	everything := testenv.NodeModule(t, "@modelcontextprotocol/server-everything/dist/index.js")

	// A real streamable-HTTP server that wants a header.
	srv := mcp.NewServer(&mcp.Implementation{Name: "remote", Version: "9.9"}, nil)
	mcp.AddTool(srv, &mcp.Tool{Name: "ping", Description: "answers pong"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{}, nil, nil
	})
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Key") != "k1" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()

	env := map[string]string{"KEY": "k1"}
	opts := Options{ConnectTimeout: 20 * time.Second, Getenv: func(k string) string { return env[k] }}
	tests := []struct {
		name     string
		sc       mcpconfig.Server
		wantTool string // a tool that must be listed
		denied   string // a tool that must be listed as not allowed
		wantName string
		wantErr  string
	}{
		{name: "stdio, disabled and with a deny list", sc: mcpconfig.Server{Name: "everything", Command: node, Args: []string{everything, "stdio"}, Disabled: true, DenyTools: []string{"get-env"}},
			wantTool: "echo", denied: "get-env", wantName: "Everything Reference Server"},
		{name: "http with an expanded header", sc: mcpconfig.Server{Name: "remote", URL: ts.URL, Headers: map[string]string{"X-Key": "${env:KEY}"}},
			wantTool: "ping", wantName: "remote"},
		{name: "http without the header", sc: mcpconfig.Server{Name: "remote", URL: ts.URL}, wantErr: "connect to MCP server"},
		{name: "unset placeholder", sc: mcpconfig.Server{Name: "remote", URL: ts.URL, Headers: map[string]string{"X-Key": "${env:NOPE}"}}, wantErr: "${env:NOPE}, which is not set"},
		{name: "invalid entry", sc: mcpconfig.Server{Name: "x"}, wantErr: `needs "command"`},
		{name: "program that is not there", sc: mcpconfig.Server{Name: "x", Command: "/nonexistent/server"}, wantErr: "connect to MCP server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			p, err := ProbeServer(ctx, tt.sc, opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.ServerName != tt.wantName || p.DurationMs <= 0 {
				t.Errorf("server %q, %v ms; want %q", p.ServerName, p.DurationMs, tt.wantName)
			}
			allowed := map[string]bool{}
			for _, tool := range p.Tools {
				allowed[tool.Name] = tool.Allowed
			}
			if ok, found := allowed[tt.wantTool]; !found || !ok {
				t.Errorf("tool %q: found %v, allowed %v; tools %+v", tt.wantTool, found, ok, p.Tools)
			}
			if tt.denied != "" {
				if ok, found := allowed[tt.denied]; !found || ok {
					t.Errorf("tool %q: found %v, allowed %v; want listed but not allowed", tt.denied, found, ok)
				}
			}
		})
	}
}

// A stdio program that ends on its own before answering reports its exit
// status through the redacted error; one that the proxy had to stop
// (alive but speaking no MCP) reports none, since its status would be the
// proxy's doing.
func TestProbeReportsProgramExit(t *testing.T) {
	node := testenv.Node(t)
	tests := []struct {
		name string
		js   string
		want int // -1: no ProgramExit
	}{
		{"exits with 3", "process.exit(3)", 3},
		{"exits cleanly", "process.exit(0)", 0},
		{"alive, printing garbage", `process.stdout.write("not json\n"); setInterval(() => {}, 1000)`, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := ProbeServer(ctx, mcpconfig.Server{Name: "s", Command: node, Args: []string{"-e", tt.js}}, Options{ConnectTimeout: 20 * time.Second})
			if err == nil {
				t.Fatal("the probe succeeded")
			}
			var exit *ProgramExit
			switch found := errors.As(err, &exit); {
			case tt.want < 0 && found:
				t.Errorf("err = %v: reports %v for a program the proxy stopped", err, exit)
			case tt.want >= 0 && (!found || exit.Code != tt.want):
				t.Errorf("err = %v: exit %v, want status %d", err, exit, tt.want)
			case tt.want >= 0 && !strings.Contains(err.Error(), fmt.Sprintf("exited with status %d", tt.want)):
				t.Errorf("err = %v: the message does not say the status", err)
			}
		})
	}
}
