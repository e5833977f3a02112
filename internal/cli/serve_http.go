package cli

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// serveHTTP serves MCP over streamable HTTP on a loopback address, headless.
// addr defaults to 127.0.0.1 and the port of the settings (47813).
func serveHTTP(ctx context.Context, addr string) error {
	if addr != "" {
		if err := server.CheckLoopback(addr); err != nil {
			return err
		}
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	defer e.Close()
	p := e.Policy()
	if addr == "" {
		addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(p.HTTPPort))
	}
	token, err := server.LoadOrCreateToken(p.Home)
	if err != nil {
		return fmt.Errorf("endpoint token: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if server.IsAddrInUse(err) {
		return fmt.Errorf("%s is in use by another program (another mcp-conductor?); pass another address: --http 127.0.0.1:PORT", addr)
	}
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another mcp-conductor running? pass another address: --http 127.0.0.1:PORT)", addr, err)
	}
	logger := Logger()
	logger.Info("serving MCP", "url", "http://"+ln.Addr().String()+"/mcp", "token", server.TokenPath(p.Home))
	return e.Server().Serve(ctx, ln, server.ServeOptions{Token: token, Logger: logger})
}
