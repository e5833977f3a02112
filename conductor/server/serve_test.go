package server

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A local program without the token opens three times the cap of
// connections (silent ones, ones trickling a header that never ends, ones
// that got their 401 and stay open) and holds them while a client with the
// token connects, lists tools and calls one; then, while a second call is
// in flight, it opens twice the cap more. The client is served throughout,
// and every one of the attacker's held connections is closed by the server.
//
// The attacker opens its connections before the client's, or while the
// client's are authenticated: a flood racing a client's connect at full
// machine speed can, rarely, break that one connection (see connLimit), and
// a test of it could only pass by chance.
func TestServeFloodStillServesTokenHolder(t *testing.T) {
	s := echoServer()
	entered, release := addWaitTool(s)
	addr := serve(t, s, long) // no timeout fires: only the cap can free a slot
	var held []*rawConn
	for i := range 3 * long.maxConns {
		c := dial(t, addr)
		switch i % 3 {
		case 1:
			trickle(c)
		case 2:
			if resp, _ := c.send(t, request("POST", "", initBody)); resp.StatusCode != 401 || !resp.Close {
				t.Fatalf("unauthenticated request: %s, Connection: close %v; want 401 and close", resp.Status, resp.Close)
			}
		}
		held = append(held, c)
	}

	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	changed := make(chan struct{}, 1)
	sess := connect(t, ctx, addr, &mcp.ClientOptions{ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) {
		select {
		case changed <- struct{}{}:
		default:
		}
	}})
	echo(t, ctx, sess, "served under a flood")
	// The notification comes over the client's SSE stream: once it is here,
	// that stream's connection is authenticated too.
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "added"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{}, nil, nil
	})
	select {
	case <-changed:
	case <-ctx.Done():
		t.Fatal("no tools/list_changed over the SSE stream")
	}
	if res, err := sess.ListTools(ctx, nil); err != nil || len(res.Tools) != 3 {
		t.Fatalf("list tools: %v %+v", err, res)
	}

	// More than the cap would push out every older connection, the one
	// carrying this call and the SSE stream too, if the cap did not spare
	// authenticated ones.
	waited := callWait(ctx, sess, entered)
	for range 2 * long.maxConns {
		dial(t, addr)
	}
	// The accept queue is FIFO: once this one is answered, the server has
	// accepted every connection opened before it.
	if resp, _ := dial(t, addr).send(t, request("GET", "", "")); resp.StatusCode != 401 {
		t.Fatalf("probe: %s", resp.Status)
	}
	close(release)
	if err := <-waited; err != nil {
		t.Fatalf("the call in flight through the burst: %v", err)
	}
	for i, c := range held {
		if err := c.closed(); err != nil {
			t.Errorf("attacker connection %d (kind %d): %v", i, i%3, err)
		}
	}
	echo(t, ctx, sess, "still served")
}

// A run_deno_code call may take minutes: no timeout net/http armed for the
// request (header, read) may end it, and there is no write timeout.
func TestServeLongCallOutlivesTimeouts(t *testing.T) {
	s := echoServer()
	entered, release := addWaitTool(s)
	short := limits{maxConns: 64, header: 100 * time.Millisecond, read: 100 * time.Millisecond, idle: time.Minute}
	addr := serveOn(t, s, deferAccept(listen(t)), short)
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	sess := connect(t, ctx, addr, nil)
	waited := callWait(ctx, sess, entered)
	time.Sleep(10 * short.read) // every deadline armed for the call is now past
	close(release)
	if err := <-waited; err != nil {
		t.Fatalf("a call outlasting the timeouts: %v", err)
	}
	echo(t, ctx, sess, "after the long call")
}

// addWaitTool adds the tool "wait", which returns once release is closed;
// entered is closed when it is called.
func addWaitTool(s *Server) (entered chan struct{}, release chan struct{}) {
	entered, release = make(chan struct{}), make(chan struct{})
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "wait"}, func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		close(entered)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "done"}}}, nil, nil
	})
	return entered, release
}

// callWait calls "wait" and returns once the tool is running; the channel
// gets the call's outcome.
func callWait(ctx context.Context, sess *mcp.ClientSession, entered <-chan struct{}) <-chan error {
	got := make(chan error, 1)
	go func() {
		res, err := sess.CallTool(ctx, &mcp.CallToolParams{Name: "wait", Arguments: map[string]any{}})
		if err == nil && (res.IsError || res.Content[0].(*mcp.TextContent).Text != "done") {
			err = fmt.Errorf("result %+v", res)
		}
		got <- err
	}()
	select {
	case <-entered:
	case err := <-got:
		got <- fmt.Errorf("the call ended before the tool ran: %v", err)
	case <-ctx.Done():
	}
	return got
}

func TestServeNeedsToken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = echoServer().Serve(context.Background(), ln, ServeOptions{})
	if err == nil || !strings.Contains(err.Error(), "bearer token") {
		t.Fatalf("Serve without a token: %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("Serve left the listener open")
	}
}
