// Package engine assembles the conductor's services under one Policy: the
// sandbox runner, the MCP proxy, the audit log and the MCP server. Both
// faces use it: the headless modes (--stdio, --http) and the tray app.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/appask"
	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// Options configure an Engine.
type Options struct {
	Version string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Logger receives operational messages (never on stdout); nil
	// discards them.
	Logger *slog.Logger
	// OnExecution is called after every execution, for live displays.
	OnExecution func(audit.Record)
	// AskApp asks the person when the MCP client that started an
	// execution cannot (see server.Options.AskApp). nil: the desktop app
	// running for the same home, over its local channel (package appask);
	// the app itself passes its window.
	AskApp func(client, noClient string) proxy.Asker
	// WatchSettings re-reads the settings file when it changes (checked every
	// few seconds) and switches to the new policy.
	WatchSettings bool
}

// Engine owns the services. It is safe for concurrent use.
type Engine struct {
	opts   Options
	proxy  *proxy.Manager
	audit  *audit.Log
	server *server.Server

	reloading sync.Mutex // one Reload at a time; Close waits for it
	closed    bool       // under reloading: Close was called

	mu       sync.Mutex
	policy   config.Policy
	runner   *sandbox.Runner
	retired  []*sandbox.Runner // replaced by Reload, perhaps still running executions
	programs []string          // the upstream programs the runner protects
	deno     *deno.Runtime
	stamp    fsx.Version
	stop     context.CancelFunc
}

// New loads the policy (settings file, then environment), finds Deno and
// starts the services.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	policy, err := config.Load(opts.Getenv)
	if err != nil {
		return nil, err
	}
	e := &Engine{opts: opts, policy: policy}
	e.stamp = settingsStamp(policy.Home)
	approvalTimeout, err := approvalTimeout(opts.Getenv)
	if err != nil {
		return nil, err
	}
	if opts.AskApp == nil {
		home := policy.Home
		opts.AskApp = func(client, noClient string) proxy.Asker {
			return appask.Asker(appask.AskOptions{Home: home, Client: client, NoClient: noClient})
		}
	}
	e.opts = opts
	// The proxy first: the programs of its stdio servers are protected from
	// the sandbox. Each time the file changes, it is read only if no policy
	// in force lets the sandbox write it, and a new set of programs gets a
	// runner that protects them.
	e.proxy = proxy.NewManager(policy.MCPConfig, proxy.Options{Version: opts.Version, Logger: opts.Logger, Getenv: opts.Getenv,
		Trust: e.TrustConfig, OnReload: e.programsChanged, ApprovalTimeout: approvalTimeout})
	if err := e.proxy.ConfigError(); err != nil {
		opts.Logger.Warn(err.Error())
	}
	runner, deno, err := e.newRunner(ctx, policy)
	if err != nil {
		e.proxy.Close()
		return nil, err
	}
	e.runner, e.deno = runner, deno
	e.audit = audit.Open(policy.AuditLog())
	e.server = server.New(policy, server.Options{
		Version: opts.Version, Runner: runner, Proxy: e.proxy, Audit: e.audit, OnExecution: opts.OnExecution,
		AskApp: opts.AskApp, ApprovalTimeout: approvalTimeout,
	})
	wctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	if opts.WatchSettings {
		go e.watch(wctx)
	}
	return e, nil
}

func (e *Engine) newRunner(ctx context.Context, p config.Policy) (*sandbox.Runner, *deno.Runtime, error) {
	// The policy's Deno is the variable or, failing it, the settings file.
	getenv := func(k string) string {
		if k == deno.EnvDeno {
			return p.Deno
		}
		return e.opts.Getenv(k)
	}
	rt, err := deno.Locate(ctx, deno.LocateOptions{Home: p.Home, Getenv: getenv})
	if err != nil {
		return nil, nil, err
	}
	programs := e.proxy.Programs()
	var protect []config.Protected
	for _, prog := range programs {
		protect = append(protect, config.Protected{Path: prog, Access: config.NoWrite, What: "a program an MCP server of mcp-config.json runs", Program: true})
	}
	r, err := sandbox.New(context.Background(), p, sandbox.Options{Deno: rt.Path, Protect: protect, Getenv: e.opts.Getenv, Pyodide: p.Pyodide,
		Warn: func(s string) { e.opts.Logger.Warn(s) }})
	if err != nil {
		return nil, nil, err
	}
	e.mu.Lock()
	e.programs = programs
	e.mu.Unlock()
	return r, rt, nil
}

// programsChanged rebuilds the runner when the MCP servers file now names
// other programs than the runner protects.
func (e *Engine) programsChanged() {
	e.mu.Lock()
	cur, ready := e.programs, e.runner != nil
	e.mu.Unlock()
	if !ready || slices.Equal(cur, e.proxy.Programs()) {
		return
	}
	e.reloading.Lock()
	closed := e.closed
	e.reloading.Unlock()
	if closed {
		return
	}
	if err := e.Reload(context.Background()); err != nil {
		e.opts.Logger.Error("the MCP servers changed, but the sandbox could not be rebuilt to protect their programs", "err", err)
	}
}

// Reload re-reads the settings file and environment and switches every
// service to the new policy: the pool of waiting processes is drained and
// refilled under the new permissions. On error the current policy stays.
func (e *Engine) Reload(ctx context.Context) error {
	e.reloading.Lock()
	defer e.reloading.Unlock()
	if e.closed {
		return errors.New("the engine has stopped")
	}
	e.mu.Lock()
	home := e.policy.Home
	e.mu.Unlock()
	if err := e.TrustConfig(config.SettingsPath(home)); err != nil {
		return err
	}
	policy, err := config.Load(e.opts.Getenv)
	if err != nil {
		return err
	}
	runner, deno, err := e.newRunner(ctx, policy)
	if err != nil {
		return err
	}
	e.mu.Lock()
	old, oldPolicy := e.runner, e.policy
	e.policy, e.runner, e.deno = policy, runner, deno
	keep := e.retired[:0]
	for _, r := range e.retired {
		if r.Running() > 0 {
			keep = append(keep, r)
		}
	}
	e.retired = append(keep, old)
	e.stamp = settingsStamp(policy.Home)
	e.mu.Unlock()
	e.server.SetPolicy(policy, runner)
	// Python's pool starts on first use, or when the administrator turns
	// Python on; once started, it stays started across reloads.
	if old.Python().Started || !oldPolicy.Python && policy.Python {
		runner.WarmPython()
	}
	old.Close()
	if policy.MCPConfig != e.proxy.Path() {
		e.opts.Logger.Warn("the MCP servers file moved; restart to use it", "file", policy.MCPConfig)
	}
	return nil
}

func (e *Engine) watch(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		e.mu.Lock()
		home, stamp := e.policy.Home, e.stamp
		e.mu.Unlock()
		if now := settingsStamp(home); !now.Same(stamp) {
			if err := e.Reload(ctx); err != nil {
				e.opts.Logger.Warn("settings changed but cannot be used (keeping the previous ones)", "err", err)
				e.mu.Lock()
				e.stamp = now
				e.mu.Unlock()
			} else {
				e.opts.Logger.Info("settings reloaded")
			}
		}
	}
}

func settingsStamp(home string) fsx.Version {
	return fsx.VersionOf(config.SettingsPath(home))
}

// TrustConfig refuses a configuration file that sandboxed code could have
// written under any policy still in force (the current one, or one whose
// executions still run): the conductor never loads what the sandbox may
// have changed. Paths are judged by what they lead to now (a link made
// since the policy was built counts).
func (e *Engine) TrustConfig(path string) error {
	e.mu.Lock()
	runners := append([]*sandbox.Runner{e.runner}, e.retired...)
	e.mu.Unlock()
	for _, r := range runners {
		if r != nil && r.MayWrite(path) {
			return fmt.Errorf("%s is not loaded: sandboxed code may write where it leads (%s) under the current permissions; move it out of the folders granted for writing", path, pathid.Resolve(path))
		}
	}
	return nil
}

// Policy is the policy in force.
func (e *Engine) Policy() config.Policy {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.policy
}

// Deno is the Deno runtime in use.
func (e *Engine) Deno() deno.Runtime {
	e.mu.Lock()
	defer e.mu.Unlock()
	return *e.deno
}

// Confinement describes the kernel confinement in force.
func (e *Engine) Confinement() (bool, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	env := e.runner.Env()
	return env.Confined, env.Confinement
}

// Python reports Python's state under the policy in force.
func (e *Engine) Python() sandbox.PythonStatus {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.runner.Python()
}

// Server is the MCP server; serve it over any transport.
func (e *Engine) Server() *server.Server { return e.server }

// Proxy is the upstream MCP servers' manager.
func (e *Engine) Proxy() *proxy.Manager { return e.proxy }

// Audit is the audit log.
func (e *Engine) Audit() *audit.Log { return e.audit }

// Close stops the settings watcher, every sandbox process (waiting or
// running; each one's private folder is gone when Close returns) and the
// upstream servers.
func (e *Engine) Close() {
	e.reloading.Lock()
	e.closed = true
	e.reloading.Unlock()
	e.stop()
	e.mu.Lock()
	runners := append([]*sandbox.Runner{e.runner}, e.retired...)
	e.mu.Unlock()
	for _, r := range runners {
		r.Stop()
	}
	e.proxy.Close()
}
