package core

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// endpoint is the local streamable-HTTP MCP endpoint, serving on one port.
type endpoint struct {
	port int
	url  string
	stop context.CancelFunc
	done chan struct{} // closed when Serve has returned
}

// close stops the endpoint and waits until its port is free and its
// connections are closed.
func (ep *endpoint) close() {
	ep.stop()
	<-ep.done
}

// listenHost is the only address the endpoint listens on: it runs code, so
// it is never offered to the network.
const listenHost = "127.0.0.1"

// syncEndpoint starts, stops or moves the endpoint to match the policy:
// on when the settings enable it and the engine runs, on the settings'
// port. c.op must be held.
func (c *Core) syncEndpoint() {
	c.mu.Lock()
	e, cur := c.eng, c.ep
	c.mu.Unlock()
	want, port := false, config.DefaultHTTPPort
	if e != nil {
		p := e.Policy()
		want, port = p.HTTPEnabled, p.HTTPPort
	}
	if cur != nil && want && cur.port == port {
		return
	}
	if cur != nil {
		cur.close()
	}
	var ep *endpoint
	var err error
	if want {
		ep, err = c.listen(port)
		if err != nil {
			c.opts.Logf("local endpoint: %v", err)
		}
	}
	c.mu.Lock()
	c.ep, c.epErr = ep, err
	c.mu.Unlock()
}

func (c *Core) listen(port int) (*endpoint, error) {
	c.mu.Lock()
	e := c.eng
	c.mu.Unlock()
	token, err := server.LoadOrCreateToken(c.home)
	if err != nil {
		return nil, fmt.Errorf("the endpoint's token: %w", err)
	}
	addr := net.JoinHostPort(listenHost, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if server.IsAddrInUse(err) {
		return nil, fmt.Errorf("port %d is in use by another program (another MCP Conductor?); choose another port in Permissions & packages", port)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := e.Server().Serve(ctx, ln, server.ServeOptions{Token: token, Logf: c.opts.Logf}); err != nil {
			c.opts.Logf("local endpoint: %v", err)
		}
	}()
	c.opts.Logf("serving MCP at http://%s/mcp", addr)
	return &endpoint{port: port, url: "http://" + addr + "/mcp", stop: stop, done: done}, nil
}

// EndpointStatus reports the local endpoint (services.Endpoint).
func (c *Core) EndpointStatus(ctx context.Context) (services.EndpointStatus, error) {
	c.retry(ctx)
	st := services.EndpointStatus{Enabled: true, Port: config.DefaultHTTPPort}
	if p, err := c.Policy(); err == nil {
		st.Enabled, st.Port = p.HTTPEnabled, p.HTTPPort
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.ep != nil:
		st.URL, st.Running = c.ep.url, true
	case c.epErr != nil:
		st.Detail = c.epErr.Error()
	case !st.Enabled:
		st.Detail = "turned off"
	case c.eng == nil:
		st.Detail = "waiting for the engine to start"
	}
	return st, nil
}

// Token returns the bearer token the endpoint requires, creating it on
// first use.
func (c *Core) Token() (string, error) {
	t, err := server.LoadOrCreateToken(c.home)
	if err != nil {
		return "", fmt.Errorf("the endpoint's token: %w", err)
	}
	return t, nil
}
