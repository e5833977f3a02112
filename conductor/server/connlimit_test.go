package server

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every connection that is not serving the token holder ends: refused
// requests close theirs after the answer, and each timeout ends the
// connections it is for. Each case shortens only the timeout it is about;
// the cases that rely on none keep them all at a minute, beyond the guard.
func TestServeClosesConnections(t *testing.T) {
	short := func(f func(*limits)) limits { l := long; f(&l); return l }
	const ms100 = 100 * time.Millisecond
	tests := []struct {
		name   string
		lim    limits
		send   func(c *rawConn) // what the client does
		status int              // the answer it gets, 0: none
		close  bool             // the answer says Connection: close
	}{
		{"silent connection: header timeout", short(func(l *limits) { l.header = ms100 }),
			func(*rawConn) {}, 0, false},
		{"header trickled without end: header timeout", short(func(l *limits) { l.header = ms100 }),
			func(c *rawConn) { trickle(c) }, 0, false},
		{"no token: 401 and close", long,
			func(c *rawConn) { io.WriteString(c, request("POST", "", initBody)) }, 401, true},
		{"wrong token: 401 and close", long,
			func(c *rawConn) { io.WriteString(c, request("POST", strings.Repeat("0", 32), initBody)) }, 401, true},
		{"foreign origin with the token: 403 and close", long,
			func(c *rawConn) {
				io.WriteString(c, request("POST", testToken, initBody, "Origin: https://evil.example"))
			}, 403, true},
		{"rebinding host with the token: 403 and close", long,
			func(c *rawConn) {
				io.WriteString(c, strings.Replace(request("POST", testToken, initBody), "Host: 127.0.0.1", "Host: evil.example", 1))
			}, 403, true},
		{"declared body over 4 MiB: 413 and close", long,
			func(c *rawConn) {
				io.WriteString(c, strings.Replace(request("GET", testToken, ""), "\r\n\r\n", fmt.Sprintf("\r\nContent-Length: %d\r\n\r\n", MaxRequestBytes+1), 1))
			}, 413, true},
		{"chunked body over 4 MiB: 413 and close", long,
			func(c *rawConn) {
				io.WriteString(c, strings.Replace(request("POST", testToken, ""), "Content-Length: 0", "Transfer-Encoding: chunked", 1))
				go fmt.Fprintf(c, "%x\r\n%s\r\n0\r\n\r\n", MaxRequestBytes+1, strings.Repeat(" ", MaxRequestBytes+1))
			}, 413, true},
		{"body that never arrives: read timeout, 408 and close", short(func(l *limits) { l.read = ms100 }),
			func(c *rawConn) {
				io.WriteString(c, strings.Replace(request("POST", testToken, initBody), initBody, initBody[:10], 1))
			}, 408, true},
		{"authenticated, then idle: kept alive until the idle timeout", short(func(l *limits) { l.idle = ms100 }),
			func(c *rawConn) { io.WriteString(c, request("POST", testToken, initBody)) }, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln := listen(t)
			if tt.lim.read != long.read {
				// net/http starts the read timeout when it starts reading:
				// hand the connection over once the client has written, so
				// that the timeout catches only what the case leaves out.
				ln = deferAccept(ln)
			}
			c := dial(t, serveOn(t, echoServer(), ln, tt.lim))
			tt.send(c)
			if tt.status != 0 {
				resp, body := c.response(t)
				if resp.StatusCode != tt.status || resp.Close != tt.close {
					t.Fatalf("got %s (Connection: close %v) %q; want %d (close %v)", resp.Status, resp.Close, body, tt.status, tt.close)
				}
			}
			if err := c.closed(); err != nil {
				t.Fatalf("the server kept the connection: %v", err)
			}
		})
	}
}

// Which connection makes room at the cap.
func TestConnLimitVictim(t *testing.T) {
	const (
		unauth = iota // has not carried an authenticated request
		idle          // authenticated, between requests
		busy          // authenticated, serving a request
	)
	tests := []struct {
		name  string
		conns []int // oldest first
		want  int   // index of the one closed, -1: the new one is refused
	}{
		{"oldest unauthenticated", []int{busy, unauth, idle, unauth}, 1},
		{"unauthenticated before an older idle authenticated", []int{idle, idle, unauth}, 2},
		{"all authenticated: oldest idle", []int{busy, idle, idle}, 1},
		{"all authenticated and busy: none", []int{busy, busy}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &connLimit{max: len(tt.conns)}
			for _, st := range tt.conns {
				c := &trackedConn{l: l}
				c.authed.Store(st != unauth)
				c.idle.Store(st == idle)
				l.conns = append(l.conns, c)
			}
			if got := slices.Index(l.conns, l.victimLocked()); got != tt.want {
				t.Errorf("victim %d, want %d", got, tt.want)
			}
		})
	}
}

// At a cap of one: a new connection pushes out an authenticated idle one,
// and is refused with a 503 when the only one is an authenticated SSE
// stream.
func TestServeCapWithAuthenticatedConns(t *testing.T) {
	addr := serve(t, echoServer(), limits{maxConns: 1, header: time.Minute, read: time.Minute, idle: time.Minute})
	a := dial(t, addr)
	if resp, body := a.send(t, request("POST", testToken, initBody)); resp.StatusCode != 200 || resp.Close {
		t.Fatalf("initialize: %s %q", resp.Status, body)
	}
	// a turns idle just after its answer is out; until then, it is busy and
	// a new connection is refused.
	var b *rawConn
	var sid string
	for deadline := time.Now().Add(guard); sid == ""; {
		b = dial(t, addr)
		resp, body := b.send(t, request("POST", testToken, initBody))
		if resp.StatusCode != 200 && (resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline)) {
			t.Fatalf("initialize at the cap: %s %q", resp.Status, body)
		}
		sid = resp.Header.Get("Mcp-Session-Id")
	}
	if err := a.closed(); err != nil {
		t.Fatalf("the idle authenticated connection was kept at the cap: %v", err)
	}

	if resp, body := b.send(t, request("POST", testToken, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, "Mcp-Session-Id: "+sid)); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("initialized: %s %q", resp.Status, body)
	}
	io.WriteString(b, request("GET", testToken, "", "Mcp-Session-Id: "+sid, "Mcp-Protocol-Version: 2025-06-18"))
	b.SetReadDeadline(time.Now().Add(guard))
	if resp, err := http.ReadResponse(b.br, nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("SSE stream: %v %v", resp, err)
	}

	c := dial(t, addr)
	resp, body := c.send(t, request("POST", testToken, initBody))
	if resp.StatusCode != http.StatusServiceUnavailable || !resp.Close || !strings.Contains(body, "too many connections") {
		t.Fatalf("over the cap: %s %q", resp.Status, body)
	}
	if err := c.closed(); err != nil {
		t.Fatalf("the refused connection: %v", err)
	}
}
