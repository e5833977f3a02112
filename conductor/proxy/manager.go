package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Options configure a Manager.
type Options struct {
	ConnectTimeout time.Duration       // per connection attempt; default 30 s
	CallTimeout    time.Duration       // per upstream request; default 60 s
	Getenv         func(string) string // expands ${env:NAME}; default os.Getenv
	// BaseEnv is the environment every stdio upstream starts with, before
	// its entry's own env; default: PATH, HOME, USER, LANG, TMPDIR, proxies
	// and CA settings of this process.
	BaseEnv []string
	Version string // reported to upstreams as the client version
	Logf    func(format string, args ...any)
}

// Manager owns the connections to the upstream servers of one
// mcp-config.json. It re-reads the file when it changes, connects lazily,
// reconnects after an upstream dies, and closes what the file no longer lists.
type Manager struct {
	opts Options
	path string

	mu       sync.Mutex
	stamp    fileStamp
	cfgErr   error // the file's current problem; the last good config stays in use
	servers  map[string]*upstream
	order    []string
	closed   bool
	lastStat time.Time
}

type fileStamp struct {
	mod  time.Time
	size int64
	ok   bool
}

// NewManager returns a Manager for the mcp-config.json at path. Nothing is
// started until a server is used.
func NewManager(path string, opts Options) *Manager {
	m := &Manager{opts: withDefaults(opts), path: path, servers: map[string]*upstream{}}
	m.reload()
	return m
}

// Path is the configuration file the Manager reads.
func (m *Manager) Path() string { return m.path }

// ConfigError is the configuration file's current problem, if any.
func (m *Manager) ConfigError() error {
	m.reload()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfgErr
}

// reload re-reads the file if it changed since the last look.
func (m *Manager) reload() {
	st, err := os.Stat(m.path)
	stamp := fileStamp{}
	if err == nil {
		stamp = fileStamp{st.ModTime(), st.Size(), true}
	}
	m.mu.Lock()
	if m.closed || (stamp == m.stamp && m.lastStat != (time.Time{})) {
		m.mu.Unlock()
		return
	}
	m.stamp, m.lastStat = stamp, time.Now()
	m.mu.Unlock()

	cfg, err := LoadConfig(m.path, m.opts.Getenv)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.cfgErr = err
		m.opts.Logf("%v (keeping the previous servers)", err)
		return
	}
	m.cfgErr = nil
	next := map[string]*upstream{}
	var order []string
	for _, sc := range cfg.Servers {
		order = append(order, sc.Name)
		if old, ok := m.servers[sc.Name]; ok && sameConfig(old.cfg, sc) {
			next[sc.Name] = old
			continue
		}
		next[sc.Name] = &upstream{cfg: sc, m: m}
	}
	for name, old := range m.servers {
		if next[name] != old {
			go old.close() // removed or changed: its process must not linger
		}
	}
	m.servers, m.order = next, order
}

func sameConfig(a, b ServerConfig) bool {
	return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b)
}

// lookup returns the named server, or an error listing the ones that exist.
func (m *Manager) lookup(name string) (*upstream, error) {
	m.reload()
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.servers[name]
	if !ok {
		if len(m.order) == 0 {
			return nil, fmt.Errorf("unknown MCP server %q: no servers are configured (%s)", name, m.path)
		}
		return nil, fmt.Errorf("unknown MCP server %q; configured: %s", name, strings.Join(m.order, ", "))
	}
	return u, nil
}

// Names returns the configured servers' names, sorted.
func (m *Manager) Names() []string {
	m.reload()
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.order...)
}

// Close disconnects every upstream and stops their processes.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	servers := m.servers
	m.servers = map[string]*upstream{}
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, u := range servers {
		wg.Add(1)
		go func() { defer wg.Done(); u.close() }()
	}
	wg.Wait()
}

// upstream is one configured server and its (lazy) connection.
type upstream struct {
	cfg ServerConfig
	m   *Manager

	mu      sync.Mutex // held while connecting
	session *mcp.ClientSession
	cancel  context.CancelFunc // ends the session's connection context
	tools   []*mcp.Tool        // all tools, nil until listed
	lastErr error
	closed  bool
}

// ErrDisabled is returned for servers the administrator disabled.
var ErrDisabled = errors.New("disabled in mcp-config.json")

// connect returns a live session, connecting if needed.
func (u *upstream) connect(ctx context.Context) (*mcp.ClientSession, error) {
	if u.cfg.Err != nil {
		return nil, u.cfg.Err
	}
	if u.cfg.Disabled {
		return nil, fmt.Errorf("MCP server %q is %w", u.cfg.Name, ErrDisabled)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed {
		return nil, fmt.Errorf("MCP server %q was removed from the configuration", u.cfg.Name)
	}
	if u.session != nil {
		return u.session, nil
	}
	// The connection outlives this call (an SSE stream is a request that
	// stays open), so its context is only cancelled if connecting takes too
	// long, by the caller, or when the upstream is closed.
	connCtx, connCancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(u.m.opts.ConnectTimeout, connCancel)
	stopWatch := context.AfterFunc(ctx, connCancel)
	defer stopWatch()
	transport, err := u.transport()
	if err != nil {
		u.lastErr = err
		return nil, err
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "mcp-conductor", Version: u.m.opts.Version}, &mcp.ClientOptions{
		ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) {
			u.mu.Lock()
			u.tools = nil
			u.mu.Unlock()
		},
	})
	s, err := client.Connect(connCtx, transport, nil)
	if !timer.Stop() && err == nil {
		err = errors.New("connect timed out")
		s.Close()
	}
	if err != nil {
		connCancel()
		if connCtx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("no answer within %v: %w", u.m.opts.ConnectTimeout, err)
		}
		u.lastErr = fmt.Errorf("connect to MCP server %q: %w", u.cfg.Name, err)
		return nil, u.lastErr
	}
	stopWatch()
	u.session, u.tools, u.lastErr, u.cancel = s, nil, nil, connCancel
	go func() {
		err := s.Wait()
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.session == s {
			u.session, u.tools = nil, nil
			u.cancel()
			if err == nil {
				err = errors.New("connection closed")
			}
			u.lastErr = fmt.Errorf("MCP server %q disconnected (%v); it is restarted on next use", u.cfg.Name, err)
			u.m.opts.Logf("%v", u.lastErr)
		}
	}()
	return s, nil
}

func (u *upstream) transport() (mcp.Transport, error) {
	c := u.cfg
	switch c.Transport() {
	case "stdio":
		cmd := exec.Command(c.Command, c.Args...)
		cmd.Dir = c.Cwd
		cmd.Env = append(append([]string(nil), u.m.opts.BaseEnv...), envList(c.Env)...)
		cmd.Stderr = &prefixLogger{logf: u.m.opts.Logf, prefix: c.Name}
		return &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, nil
	case "sse":
		return &mcp.SSEClientTransport{Endpoint: c.URL, HTTPClient: httpClient(c.Headers)}, nil
	default:
		return &mcp.StreamableClientTransport{Endpoint: c.URL, HTTPClient: httpClient(c.Headers)}, nil
	}
}

func (u *upstream) close() {
	u.mu.Lock()
	s, cancel := u.session, u.cancel
	u.session, u.closed = nil, true
	u.mu.Unlock()
	if s != nil {
		s.Close()
	}
	if cancel != nil {
		cancel()
	}
}

// listTools returns the server's tools that the policy allows, following
// pagination; the list is cached until the server says it changed.
func (u *upstream) listTools(ctx context.Context) ([]*mcp.Tool, error) {
	s, err := u.connect(ctx)
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	cached := u.tools
	u.mu.Unlock()
	if cached == nil {
		ctx, cancel := context.WithTimeout(ctx, u.m.opts.CallTimeout)
		defer cancel()
		for t, err := range s.Tools(ctx, nil) {
			if err != nil {
				return nil, fmt.Errorf("list tools of %q: %w", u.cfg.Name, err)
			}
			cached = append(cached, t)
		}
		if cached == nil {
			cached = []*mcp.Tool{}
		}
		u.mu.Lock()
		if u.session == s {
			u.tools = cached
		}
		u.mu.Unlock()
	}
	var allowed []*mcp.Tool
	for _, t := range cached {
		if u.cfg.ToolAllowed(t.Name) {
			allowed = append(allowed, t)
		}
	}
	sort.Slice(allowed, func(i, j int) bool { return allowed[i].Name < allowed[j].Name })
	return allowed, nil
}

// tool returns one allowed tool, or an error naming the ones that exist.
func (u *upstream) tool(ctx context.Context, name string) (*mcp.Tool, error) {
	tools, err := u.listTools(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tools {
		if t.Name == name {
			return t, nil
		}
	}
	var names []string
	for _, t := range tools {
		names = append(names, t.Name)
	}
	return nil, fmt.Errorf("MCP server %q has no tool %q; its tools: %s", u.cfg.Name, name, strings.Join(names, ", "))
}

// callTool calls an allowed tool. If the upstream died since it was last
// used, it is restarted once.
func (u *upstream) callTool(ctx context.Context, name string, args any) (*mcp.CallToolResult, error) {
	if _, err := u.tool(ctx, name); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		s, err := u.connect(ctx)
		if err != nil {
			return nil, err
		}
		cctx, cancel := context.WithTimeout(ctx, u.m.opts.CallTimeout)
		res, err := s.CallTool(cctx, &mcp.CallToolParams{Name: name, Arguments: args})
		cancel()
		if err != nil && attempt == 0 && ctx.Err() == nil && isConnectionLost(err) {
			u.dropSession(s)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", u.cfg.Name, name, err)
		}
		return res, nil
	}
}

func (u *upstream) dropSession(s *mcp.ClientSession) {
	u.mu.Lock()
	if u.session == s {
		u.session, u.tools = nil, nil
		u.cancel()
	}
	u.mu.Unlock()
	s.Close()
}

func isConnectionLost(err error) bool {
	if errors.Is(err, mcp.ErrConnectionClosed) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection closed") || strings.Contains(msg, "EOF") || strings.Contains(msg, "broken pipe")
}

func envList(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func defaultBaseEnv() []string {
	var out []string
	for _, k := range []string{"PATH", "HOME", "USER", "LOGNAME", "LANG", "TMPDIR", "SystemRoot", "APPDATA", "LOCALAPPDATA", "USERPROFILE",
		"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
		"SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "NPM_CONFIG_REGISTRY", "npm_config_registry"} {
		if v, ok := os.LookupEnv(k); ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

type headerTransport struct {
	base    http.RoundTripper
	headers map[string]string
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.headers {
		r.Header.Set(k, v)
	}
	return h.base.RoundTrip(r)
}

func httpClient(headers map[string]string) *http.Client {
	if len(headers) == 0 {
		return &http.Client{}
	}
	return &http.Client{Transport: headerTransport{base: http.DefaultTransport, headers: headers}}
}

// prefixLogger forwards an upstream's stderr, line by line, to the log.
type prefixLogger struct {
	logf   func(string, ...any)
	prefix string
	buf    []byte
	mu     sync.Mutex
}

func (p *prefixLogger) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := strings.IndexByte(string(p.buf), '\n')
		if i < 0 {
			if len(p.buf) > 8192 {
				p.buf = p.buf[:0]
			}
			return len(b), nil
		}
		p.logf("[%s] %s", p.prefix, p.buf[:i])
		p.buf = p.buf[i+1:]
	}
}
