package core

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// A local program without the token holds more connections open than the
// endpoint's cap (server.Serve) without sending a byte: the oldest are
// closed to make room, and a client with the token is still served.
func TestEndpointUnderFlood(t *testing.T) {
	port := freePort(t)
	c := start(t, newHome(t, port), testenv.Deno(t))
	if _, err := c.Engine(); err != nil {
		t.Fatal(err)
	}
	ep, _ := c.EndpointStatus(context.Background())
	token, err := c.Token()
	if !ep.Running || err != nil {
		t.Fatalf("EndpointStatus = %+v, token: %v", ep, err)
	}
	testenv.CheckConnCap(t, "127.0.0.1:"+strconv.Itoa(port))
	if out, err := callEndpoint(t, ep.URL, token); err != nil || !strings.Contains(out, `"returnValue":42`) {
		t.Fatalf("run through the endpoint while the cap is full: %s, %v", out, err)
	}
}
