package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A local program without the token holds more connections open than the
// endpoint's cap (server.Serve) without sending a byte: the oldest are
// closed to make room, and a client with the token is still served.
func TestHTTPEndpointUnderFlood(t *testing.T) {
	addr, token := startHTTP(t)
	testenv.CheckConnCap(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "http-e2e", Version: "1"}, nil)
	s, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp", HTTPClient: &http.Client{Transport: bearer{token, &http.Transport{}}}}, nil)
	if err != nil {
		t.Fatalf("connect with the token while the cap is full: %v", err)
	}
	defer s.Close()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": "6 * 7"}})
	if err != nil || res.IsError || !strings.Contains(res.Content[0].(*mcp.TextContent).Text, `"returnValue":42`) {
		t.Fatalf("call while the cap is full: %v %+v", err, res)
	}
}
