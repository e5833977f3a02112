package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// connLimit caps the endpoint's open connections, so that a local program
// opening thousands of them cannot use up the conductor's file descriptors,
// and chooses which connection gives way, so that it cannot lock out the
// token holder either. At the cap, accepting a connection first closes the
// oldest connection that has never carried an authenticated request (a
// silent one, one trickling a header, one that got its 401); if every
// connection is authenticated, the oldest idle one (its client dials again
// when it needs one); if every one is authenticated and busy, the token
// holder's own load, the new connection is refused with a 503.
//
// So unauthenticated connections never push out a token holder's once it
// has carried a request, and a new connection, the youngest, stays until
// cap-1 newer ones are accepted: HTTP clients send their request as they
// connect, and on loopback it is read long before that. What is left: a
// flood at full machine speed that races the moment between a client's
// connect and its request can break that one connection, rarely (a test
// client flooded from its own process on two cores lost a request in about
// one session in 200); it cannot hold the endpoint, and the client's next
// try is served.
type connLimit struct {
	net.Listener
	max int
	log *slog.Logger

	mu    sync.Mutex
	conns []*trackedConn // in accept order, oldest first
}

// trackedConn is an accepted connection as connLimit sees it.
type trackedConn struct {
	net.Conn
	l      *connLimit
	authed atomic.Bool // a request on it carried the token (see handler)
	idle   atomic.Bool // between requests (http.StateIdle)
	once   sync.Once
}

// Accept returns the next connection, making room for it as described on
// connLimit. A refused connection is answered and closed here, never
// returned: net/http would take an error from Accept for a broken listener.
func (l *connLimit) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		c := &trackedConn{Conn: nc, l: l}
		l.mu.Lock()
		var evict *trackedConn
		if len(l.conns) >= l.max {
			if evict = l.victimLocked(); evict != nil {
				l.removeLocked(evict)
			}
		}
		admitted := len(l.conns) < l.max
		if admitted {
			l.conns = append(l.conns, c)
		}
		l.mu.Unlock()
		if evict != nil {
			evict.Conn.Close() // net/http's goroutine sees the error and lets go of it
			// Let the goroutines of connections accepted before this one read
			// their requests before another connection can push them out
			// (without this, ten times as many lost requests in that test).
			runtime.Gosched()
		}
		if admitted {
			return c, nil
		}
		l.log.Warn("refused a connection: all open connections are busy with authenticated requests", "open", l.max)
		go refuse(nc, l.max)
	}
}

// victimLocked picks the connection to close for a new one (see
// connLimit), or nil.
func (l *connLimit) victimLocked() *trackedConn {
	for _, c := range l.conns {
		if !c.authed.Load() {
			return c
		}
	}
	for _, c := range l.conns {
		if c.idle.Load() {
			return c
		}
	}
	return nil
}

func (l *connLimit) removeLocked(c *trackedConn) {
	if i := slices.Index(l.conns, c); i >= 0 {
		l.conns = slices.Delete(l.conns, i, i+1)
	}
}

// connState is the http.Server's ConnState hook: it tells idle connections
// from busy ones.
func (l *connLimit) connState(nc net.Conn, st http.ConnState) {
	if c, ok := nc.(*trackedConn); ok {
		c.idle.Store(st == http.StateIdle)
	}
}

// Close forgets the connection and closes it.
func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.removeLocked(c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// CloseWrite lets net/http half-close a connection after its last
// response, so the client reads EOF at once rather than after net/http's
// lingering delay.
func (c *trackedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// refuse answers a connection that found no room, then closes it. Like
// net/http, it half-closes and reads what the client sent before closing,
// so that the client reads the answer rather than a reset.
func refuse(nc net.Conn, max int) {
	defer nc.Close()
	msg := fmt.Sprintf("too many connections: all %d are busy with authenticated requests; close an MCP session or retry later\n", max)
	nc.SetDeadline(time.Now().Add(time.Second))
	fmt.Fprintf(nc, "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(msg), msg)
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	io.CopyN(io.Discard, nc, maxHeaderBytes)
}

type connKey struct{}

// withConn is the http.Server's ConnContext hook: it lets the handler mark
// the request's connection authenticated.
func withConn(ctx context.Context, nc net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, nc)
}

// markAuthenticated records that r's connection carried a request with the
// token.
func markAuthenticated(r *http.Request) {
	if c, ok := r.Context().Value(connKey{}).(*trackedConn); ok {
		c.authed.Store(true)
	}
}
