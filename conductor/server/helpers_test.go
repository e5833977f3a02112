package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// guard bounds every wait in these tests. It only stops a hang: a test
// passes on what happened, never on how fast.
const guard = 30 * time.Second

const testToken = "0123456789abcdef0123456789abcdef"

// long are limits no test outlives, so that only what a test is about
// (the cap, Connection: close, one short timeout) can close a connection.
var long = limits{maxConns: 64, header: time.Minute, read: time.Minute, idle: time.Minute}

// echoServer is a Server with one tool, "echo", and none of the sandbox.
func echoServer() *Server {
	s := &Server{mcp: mcp.NewServer(&mcp.Implementation{Name: "test", Version: "1"}, nil)}
	type in struct {
		Text string `json:"text"`
	}
	mcp.AddTool(s.mcp, &mcp.Tool{Name: "echo"}, func(_ context.Context, _ *mcp.CallToolRequest, in in) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}, nil, nil
	})
	return s
}

// serve runs s.Serve on a fresh loopback port with lim until the test ends,
// and returns the address.
func serve(t *testing.T, s *Server, lim limits) string {
	t.Helper()
	return serveOn(t, s, listen(t), lim)
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func serveOn(t *testing.T, s *Server, ln net.Listener, lim limits) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- s.Serve(ctx, ln, ServeOptions{Token: testToken, Logger: testenv.CaptureLogs(t).Logger(), limits: lim})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// deferAccept hands over a connection only once its client has sent a byte,
// as Linux's TCP_DEFER_ACCEPT does. net/http arms a new connection's header
// and read deadlines when it starts reading it; behind this, a test's short
// deadline cannot pass while the client, slowed down by a busy machine, has
// yet to write its request. Connections that never send are never handed
// over.
func deferAccept(ln net.Listener) net.Listener {
	l := &deferredListener{Listener: ln, ready: make(chan net.Conn), done: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				b := make([]byte, 1)
				if _, err := io.ReadFull(c, b); err != nil {
					c.Close()
					return
				}
				select {
				case l.ready <- &prefixConn{c, io.MultiReader(bytes.NewReader(b), c)}:
				case <-l.done:
					c.Close()
				}
			}()
		}
	}()
	return l
}

type deferredListener struct {
	net.Listener
	ready chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *deferredListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *deferredListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// prefixConn is a connection whose first bytes were already read.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(p []byte) (int, error) { return c.r.Read(p) }

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

// connect opens an MCP session over streamable HTTP with the token, as an
// MCP client would.
func connect(t *testing.T, ctx context.Context, addr string, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, opts)
	s, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp", HTTPClient: &http.Client{Transport: bearer{testToken, tr}}}, nil)
	if err != nil {
		t.Fatalf("connect with the token: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// echo calls the echo tool and fails the test unless it answers.
func echo(t *testing.T, ctx context.Context, s *mcp.ClientSession, text string) {
	t.Helper()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": text}})
	if err != nil || res.IsError || res.Content[0].(*mcp.TextContent).Text != text {
		t.Fatalf("echo %q: %v %+v", text, err, res)
	}
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

// request is a raw HTTP/1.1 request for a keep-alive connection; token ""
// sends none.
func request(method, token, body string, headers ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n", method)
	if token != "" {
		fmt.Fprintf(&b, "Authorization: Bearer %s\r\n", token)
	}
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	if body != "" || method == "POST" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	return b.String() + "\r\n" + body
}

// rawConn is a client connection driven by hand.
type rawConn struct {
	net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{c, bufio.NewReader(c)}
}

// send writes s, and reads and returns the response (body read whole).
func (c *rawConn) send(t *testing.T, s string) (*http.Response, string) {
	t.Helper()
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatalf("write: %v", err)
	}
	return c.response(t)
}

func (c *rawConn) response(t *testing.T) (*http.Response, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(guard))
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// closed reports whether the server closed c: its next read returns EOF
// (or a reset, when the server dropped bytes it had not read) rather than
// data or, after the guard, a timeout.
func (c *rawConn) closed() error {
	c.SetReadDeadline(time.Now().Add(guard))
	n, err := c.br.Read(make([]byte, 1))
	switch {
	case n > 0:
		return errors.New("the server sent more data")
	case errors.Is(err, io.EOF), errors.Is(err, errConnReset):
		return nil
	case err != nil:
		return fmt.Errorf("still open: %v", err)
	}
	return errors.New("read returned nothing")
}

// trickle sends a request header that never ends, one byte at a time, until
// the connection breaks.
func trickle(c net.Conn) {
	go func() {
		if _, err := io.WriteString(c, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "); err != nil {
			return
		}
		for {
			time.Sleep(20 * time.Millisecond)
			if _, err := c.Write([]byte("a")); err != nil {
				return
			}
		}
	}()
}
