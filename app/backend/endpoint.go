package backend

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// EndpointStatus describes the local MCP endpoint.
type EndpointStatus struct {
	// URL is what an MCP client connects to, e.g. http://127.0.0.1:7465/mcp.
	// Empty when the endpoint is not serving.
	URL string `json:"url"`
	// Running reports whether the endpoint accepts connections now.
	Running bool `json:"running"`
	// Detail is a short human sentence, e.g. why the endpoint is stopped.
	Detail string `json:"detail"`
	// Enabled reports whether the settings turn the endpoint on.
	Enabled bool `json:"enabled"`
	// Port is the loopback port the settings give it.
	Port int `json:"port"`
}

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

// changed tells Options.OnChange that the status may have changed.
func (b *Backend) changed() {
	if b.opts.OnChange != nil {
		b.opts.OnChange()
	}
}

// listenHost is the only address the endpoint listens on: it runs code, so
// it is never offered to the network.
const listenHost = "127.0.0.1"

// syncEndpoint starts, stops or moves the endpoint to match the policy:
// on when the settings enable it and the engine runs, on the settings'
// port. b.op must be held.
func (b *Backend) syncEndpoint() {
	b.mu.Lock()
	e, cur := b.eng, b.ep
	b.mu.Unlock()
	want, port := false, config.DefaultHTTPPort
	if e != nil {
		p := e.Policy()
		want, port = p.HTTPEnabled, p.HTTPPort
	}
	defer b.changed()
	if cur != nil && want && cur.port == port {
		return
	}
	if cur != nil {
		cur.close()
	}
	var ep *endpoint
	var err error
	if want {
		ep, err = b.listen(port)
		if err != nil {
			b.opts.Logger.Warn("local endpoint", "err", err)
		}
	}
	b.mu.Lock()
	b.ep, b.epErr = ep, err
	b.mu.Unlock()
}

func (b *Backend) listen(port int) (*endpoint, error) {
	b.mu.Lock()
	e := b.eng
	b.mu.Unlock()
	token, err := b.Token()
	if err != nil {
		return nil, err
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
		if err := e.Server().Serve(ctx, ln, server.ServeOptions{Token: token, Logger: b.opts.Logger}); err != nil {
			b.opts.Logger.Warn("local endpoint", "err", err)
		}
	}()
	b.opts.Logger.Info("serving MCP", "url", "http://"+addr+"/mcp")
	return &endpoint{port: port, url: "http://" + addr + "/mcp", stop: stop, done: done}, nil
}

// EndpointStatus reports the local endpoint.
func (b *Backend) EndpointStatus(ctx context.Context) EndpointStatus {
	b.retry(ctx)
	st := EndpointStatus{Enabled: true, Port: config.DefaultHTTPPort}
	if p, err := b.policy(); err == nil {
		st.Enabled, st.Port = p.HTTPEnabled, p.HTTPPort
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.ep != nil:
		st.URL, st.Running = b.ep.url, true
	case b.epErr != nil:
		st.Detail = b.epErr.Error()
	case !st.Enabled:
		st.Detail = "turned off"
	case b.eng == nil:
		st.Detail = "waiting for the engine to start"
	}
	return st
}

// Token returns the bearer token the endpoint requires, creating it on
// first use.
func (b *Backend) Token() (string, error) {
	t, err := server.LoadOrCreateToken(b.home)
	if err != nil {
		return "", fmt.Errorf("the endpoint's token: %w", err)
	}
	return t, nil
}

// SetEndpoint turns the local endpoint on or off and sets its port (0
// keeps the current one), saving the settings, and returns its status.
func (b *Backend) SetEndpoint(ctx context.Context, on bool, port int) (EndpointStatus, error) {
	if port < 0 || port > 65535 || port > 0 && port < 1024 {
		return EndpointStatus{}, fmt.Errorf("port %d: choose a port from 1024 to 65535", port)
	}
	s, err := b.readSettings()
	if err != nil {
		return EndpointStatus{}, err
	}
	s.HTTP.Disabled = !on
	if port != 0 {
		s.HTTP.Port = port
	}
	if err := b.saveSettings(ctx, s); err != nil {
		return EndpointStatus{}, err
	}
	return b.EndpointStatus(ctx), nil
}
