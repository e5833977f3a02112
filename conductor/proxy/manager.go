// Package proxy connects to the upstream MCP servers listed in
// mcp-config.json (read through package mcpconfig) and lets sandboxed code
// call them through mcpFactory, under the administrator's per-server tool
// policy, with every request time-bounded and every secret scrubbed.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Options configure a Manager.
type Options struct {
	ConnectTimeout time.Duration // per connection attempt; default 30 s
	// CallTimeout bounds each request to an upstream (a list with all its
	// pages, a read, a call); default 60 s.
	CallTimeout time.Duration
	Getenv      func(string) string // expands ${env:NAME}; default os.Getenv
	// BaseEnv is the environment every stdio upstream starts with, before
	// its entry's own env; default: PATH, HOME, USER, LANG, TMPDIR, proxies
	// and CA settings of this process.
	BaseEnv []string
	Version string // reported to upstreams as the client version
	// Logger receives operational messages, and the stdio upstreams'
	// stderr (one record a line, with an "upstream" attribute naming the
	// server), with the secrets scrubbed; nil discards them.
	Logger *slog.Logger
	// Trust, if set, is asked before the file is read, each time: an error
	// (the sandbox could have written the file) keeps the previous servers.
	Trust func(path string) error
	// OnReload, if set, is called after a changed file was read and its
	// servers put in place (the programs they run may have changed).
	OnReload func()
	// ApprovalTimeout bounds the wait for a person's answer to one
	// approval request; no answer in time is a denial. Default 5 minutes.
	// The execution's own timeout still applies and counts the wait.
	ApprovalTimeout time.Duration
}

// Manager owns the connections to the upstream servers of one
// mcp-config.json. It re-reads the file when it changes, connects lazily,
// reconnects after an upstream dies, and closes what the file no longer lists.
type Manager struct {
	opts Options
	path string

	mu       sync.Mutex
	stamp    fsx.Version
	cfgErr   error // the file's current problem; the last good config stays in use
	servers  map[string]*upstream
	order    []string
	askAll   bool // the file's "askForChanges"
	closed   bool
	lastStat time.Time

	// secrets are those of every configuration loaded so far: a secret
	// that left the file may still be in an upstream's memory.
	secrets atomic.Pointer[secretSet]
}

// NewManager returns a Manager for the mcp-config.json at path. Nothing is
// started until a server is used.
func NewManager(path string, opts Options) *Manager {
	m := &Manager{opts: withDefaults(opts), path: path, servers: map[string]*upstream{}}
	m.secrets.Store((*secretSet)(nil).with(envURLSecrets(m.opts.BaseEnv)...))
	m.reload()
	return m
}

// Redact returns s with every secret of the configured servers (see
// Redacted) replaced. Results and errors of Handle, Servers and Tools are
// already redacted.
func (m *Manager) Redact(s string) string { return m.secrets.Load().String(s) }

// logf logs a warning with the secrets scrubbed.
func (m *Manager) logf(format string, args ...any) {
	m.opts.Logger.Warn(m.Redact(fmt.Sprintf(format, args...)))
}

// upstreamLine logs one line an upstream printed on stderr, scrubbed.
func (m *Manager) upstreamLine(server string, line []byte) {
	m.opts.Logger.Info(m.Redact(string(line)), "upstream", server)
}

// Path is the configuration file the Manager reads.
func (m *Manager) Path() string { return m.path }

// ConfigError is the configuration file's current problem, if any.
func (m *Manager) ConfigError() error {
	m.reload()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.secrets.Load().Error(m.cfgErr)
}

// reload re-reads the file if it changed since the last look.
func (m *Manager) reload() {
	stamp := fsx.VersionOf(m.path)
	m.mu.Lock()
	if m.closed || (stamp.Same(m.stamp) && m.lastStat != (time.Time{})) {
		m.mu.Unlock()
		return
	}
	m.stamp, m.lastStat = stamp, time.Now()
	m.mu.Unlock()

	if m.opts.Trust != nil {
		if err := m.opts.Trust(m.path); err != nil {
			m.mu.Lock()
			m.cfgErr = err
			m.mu.Unlock()
			m.logf("%v (keeping the previous servers)", err)
			return
		}
	}
	var expanded []string
	cfg, err := mcpconfig.Load(m.path, func(name string) string {
		v := m.opts.Getenv(name)
		expanded = append(expanded, v)
		return v
	})
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.cfgErr = err
		m.logf("%v (keeping the previous servers)", err)
		return
	}
	m.cfgErr = nil
	for _, sc := range cfg.Servers {
		expanded = append(expanded, configSecrets(sc)...)
	}
	m.secrets.Store(m.secrets.Load().with(expanded...))
	next := map[string]*upstream{}
	var order []string
	for _, sc := range cfg.Servers {
		order = append(order, sc.Name)
		if old, ok := m.servers[sc.Name]; ok && sameConnection(old.cfg, sc) {
			// Only the tool policy or the approval rules changed (an
			// "always allow", say): the connection, and the calls on it,
			// go on under the new rules.
			old.setRules(sc)
			next[sc.Name] = old
			continue
		}
		next[sc.Name] = newUpstream(sc, m)
	}
	for name, old := range m.servers {
		if next[name] != old {
			go old.close() // removed or changed: its process must not linger
		}
	}
	m.servers, m.order, m.askAll = next, order, cfg.AskForChanges
	if m.opts.OnReload != nil {
		go m.opts.OnReload()
	}
}

// sameConnection reports whether two entries connect the same way: equal
// but for what the conductor applies itself (tool lists, approval rules,
// description).
func sameConnection(a, b mcpconfig.Server) bool {
	for _, s := range []*mcpconfig.Server{&a, &b} {
		s.AllowTools, s.DenyTools, s.Approval, s.Description = nil, nil, mcpconfig.Approval{}, ""
	}
	return sameConfig(a, b)
}

// sameConfig reports whether two entries describe the same server: equal
// fields, and equal problems (errors compare by their message).
func sameConfig(a, b mcpconfig.Server) bool {
	errText := func(e error) string {
		if e == nil {
			return ""
		}
		return e.Error()
	}
	if errText(a.Err) != errText(b.Err) {
		return false
	}
	a.Err, b.Err = nil, nil
	return reflect.DeepEqual(a, b)
}

// Programs lists the files the conductor runs for the configured stdio
// servers: each command as found on the search path, and each argument that
// names an existing file (a script). Sandboxed code must never change them,
// or the next start of that server would run its code unconfined.
func (m *Manager) Programs() []string {
	m.reload()
	m.mu.Lock()
	var cfgs []mcpconfig.Server
	for _, n := range m.order {
		if u := m.servers[n]; u != nil { // nil once closed
			cfgs = append(cfgs, u.cfg)
		}
	}
	m.mu.Unlock()
	var out []string
	for _, c := range cfgs {
		if c.Err != nil || c.Transport() != "stdio" {
			continue
		}
		if p, err := exec.LookPath(c.Command); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				out = append(out, abs)
			}
		}
		for _, a := range c.Args {
			p := a
			if !filepath.IsAbs(p) {
				p = filepath.Join(c.Cwd, p)
			}
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				if abs, err := filepath.Abs(p); err == nil {
					out = append(out, abs)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
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
	cfg mcpconfig.Server // how to connect; see rules for the policy
	m   *Manager
	// rules is the entry as last read: its tool lists, approval rules and
	// description change without a reconnect.
	rules atomic.Pointer[mcpconfig.Server]

	mu      sync.Mutex // held while connecting
	session *mcp.ClientSession
	cancel  context.CancelFunc // ends the session's connection context
	tools   []*mcp.Tool        // all tools, nil until listed
	lastErr error
	closed  bool
	exit    *exitRecord // how the last program ended (stdio only)
}

func newUpstream(sc mcpconfig.Server, m *Manager) *upstream {
	u := &upstream{cfg: sc, m: m}
	u.setRules(sc)
	return u
}

// setRules puts the entry's policy in force for the next call.
func (u *upstream) setRules(sc mcpconfig.Server) { u.rules.Store(&sc) }

// policy is the entry as last read, for its tool lists, approval rules and
// description.
func (u *upstream) policy() *mcpconfig.Server { return u.rules.Load() }

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
	timedOut := !timer.Stop()
	if timedOut && err == nil {
		err = errors.New("connect timed out")
		s.Close()
	}
	if err != nil {
		connCancel()
		if timedOut && ctx.Err() == nil {
			err = fmt.Errorf("no answer within %v: %w", u.m.opts.ConnectTimeout, err)
		}
		if exit := u.exit.exit(); exit != nil {
			err = fmt.Errorf("%w (%w)", err, exit)
		}
		u.lastErr = fmt.Errorf("connect to MCP server %q: %w", u.cfg.Name, err)
		u.m.logf("%v", u.lastErr)
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
			u.m.logf("%v", u.lastErr)
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
		cmd.Stderr = &prefixLogger{line: u.m.upstreamLine, prefix: c.Name}
		u.exit = &exitRecord{stop: time.Second}
		return &exitTransport{Transport: &mcp.CommandTransport{Command: cmd, TerminateDuration: u.exit.stop}, rec: u.exit}, nil
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

// prefixLogger forwards an upstream's stderr, line by line, to the log
// (through Manager.upstreamLine, which scrubs the secrets).
type prefixLogger struct {
	line   func(server string, line []byte)
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
		p.line(p.prefix, p.buf[:i])
		p.buf = p.buf[i+1:]
	}
}
