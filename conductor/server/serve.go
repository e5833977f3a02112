package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServeOptions configure Serve.
type ServeOptions struct {
	// Token is the bearer token every request must carry (see
	// LoadOrCreateToken). Serve refuses to start without one.
	Token string
	// AllowedOrigins are extra browser origins allowed to call (exact
	// "scheme://host:port"); loopback origins are always allowed.
	AllowedOrigins []string
	// Logger, if set, receives refused connections and net/http's own
	// errors.
	Logger *slog.Logger

	limits limits // zero: defaultLimits; tests shrink them
}

// limits bound what a connection may hold of the server.
type limits struct {
	maxConns int           // open connections (see connLimit)
	header   time.Duration // http.Server.ReadHeaderTimeout
	read     time.Duration // http.Server.ReadTimeout
	idle     time.Duration // http.Server.IdleTimeout
}

// defaultLimits are generous for a client on loopback, which sends a request
// in microseconds, and short for connections that hold a slot doing nothing.
//
// There is no WriteTimeout: net/http arms it when a request's headers are
// read and it bounds the whole response, so it would cut the SSE GET stream,
// which lasts as long as the session, and any run_deno_code call longer than
// it (the administrator may allow 5 minutes). Only the token holder gets a
// long response; refused requests get a short answer that fits in the socket
// buffer, and their connection is closed.
//
// ReadTimeout bounds reading the headers and the body together; net/http
// lifts it once the body is read, so it does not bound the handler. Streamable
// HTTP bodies are small JSON-RPC messages, sent whole with the headers.
var defaultLimits = limits{
	maxConns: 64,
	header:   10 * time.Second,
	read:     30 * time.Second,
	idle:     2 * time.Minute,
}

// maxHeaderBytes bounds a request's headers; an MCP request's fit in 1 KiB.
const maxHeaderBytes = 64 << 10

// shutdownGrace is how long in-flight requests may run on after Serve's
// context ends; SSE streams, which never finish, are cut after it.
const shutdownGrace = 3 * time.Second

// Serve serves MCP over streamable HTTP on ln until ctx ends, then shuts
// down (in-flight requests get a few seconds) and returns nil. Serve closes
// ln. Every request must pass the checks of the handler (loopback Host,
// allowed Origin, the exact bearer token, a body of at most MaxRequestBytes).
// Connections are capped at 64; at the cap the oldest unauthenticated one
// makes room, so that no number of local connections without the token can
// keep the token holder out. Callers check that ln is on loopback
// (CheckLoopback).
func (s *Server) Serve(ctx context.Context, ln net.Listener, opts ServeOptions) error {
	if opts.Token == "" {
		ln.Close()
		return errors.New("the HTTP endpoint needs a bearer token and none was given; pass the one LoadOrCreateToken returns")
	}
	lim := opts.limits
	if lim == (limits{}) {
		lim = defaultLimits
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("face", "local endpoint")
	cl := &connLimit{Listener: ln, max: lim.maxConns, log: logger}
	srv := &http.Server{
		Handler:           s.handler(opts),
		ReadHeaderTimeout: lim.header,
		ReadTimeout:       lim.read,
		IdleTimeout:       lim.idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         cl.connState,
		ConnContext:       withConn,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(cl) }()
	select {
	case err := <-served:
		srv.Close()
		return fmt.Errorf("the HTTP endpoint on %s stopped accepting connections: %w; restart it", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-served
	return nil
}
