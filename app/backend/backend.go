// Package backend is the conductor inside the desktop app: the one place
// the window's bindings (package app) and the tray go to for anything the
// engine knows or does.
//
// A Backend owns the engine, and keeps saying why when it cannot start
// (Deno missing, settings invalid); the local MCP endpoint; Deno installs;
// the Playground's runs; and the audit log watcher. Every page's operation
// is a method: settings, MCP servers, AI clients, activity, runs. The
// methods answer in the types the window shows, under the JSON names the
// frontend's api.ts declares, so a binding is one call and no other package
// of the app imports the conductor's packages.
package backend

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/appask"
	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/engine"
)

// Options configure a Backend.
type Options struct {
	// Version is the app's version, reported to MCP peers.
	Version string
	// Environ is the environment the engine reads (KEY=value); nil means
	// os.Environ(). Its MCP_CONDUCTOR_* variables override the settings
	// file and go into client registrations.
	Environ []string
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// OnExecution is called after every execution this process runs (the
	// app's own: Playground and local endpoint). WatchActivity sees every
	// process's.
	OnExecution func(audit.Record)
	// OnChange is called after the engine, its policy, the endpoint or Deno
	// may have changed (started, reloaded, moved, stopped), so that what
	// the window and the tray show can be read again. It must not block.
	OnChange func()
	// OnApprovals is called when questions start or stop waiting for the
	// person (see Approvals). Set, the app asks: its own engine asks the
	// window, and headless conductors of the same home reach it over the
	// approval channel (package appask). nil: the app has no window, and
	// no one is asked. It must not block.
	OnApprovals func()
	// Executable is this program. Client entries launch its copy under
	// <home>/bin, refreshed at Start; "" leaves the copy alone.
	Executable string
	// ClientEnv locates the AI clients' files; the zero value means this
	// machine's.
	ClientEnv clients.Env
}

// ErrNoEngine is wrapped by the errors of operations that need the engine
// while it could not start; the rest of the error says why.
var ErrNoEngine = errors.New("the engine is not running")

// retryEvery spaces automatic attempts to start an engine that failed.
const retryEvery = 15 * time.Second

// Backend owns the engine, the local endpoint and the Playground's runs.
// It is safe for concurrent use.
type Backend struct {
	opts   Options
	getenv func(string) string
	home   string
	runs   runs // the Playground's runs in progress

	approvals approvals       // questions waiting in the window
	channel   *appask.Service // headless conductors' questions; nil: none

	op sync.Mutex // serialises starting, reloading and installing

	mu         sync.Mutex
	eng        *engine.Engine
	engErr     error
	tried      time.Time
	ep         *endpoint
	epErr      error
	closed     bool
	installing bool
	// installingPython: a Pyodide install runs (InstallPython).
	installingPython bool
}

// Start creates the engine. It does not fail: without Deno, or with
// settings that do not validate, the engine stays off, status reports say
// why, and the engine is started again after a Deno install, a settings
// save, or (at most every 15 s) a status query.
func Start(ctx context.Context, opts Options) *Backend {
	if opts.Environ == nil {
		opts.Environ = os.Environ()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	env := map[string]string{}
	for _, kv := range opts.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	b := &Backend{opts: opts, getenv: func(k string) string { return env[k] }}
	b.approvals.gone = make(chan struct{})
	if p, err := config.Load(b.getenv); err == nil {
		b.home = p.Home
	} else if h, herr := homeFrom(b.getenv); herr == nil {
		b.home = h
	}
	if opts.Executable != "" && b.home != "" {
		if _, err := clients.InstallLauncher(b.home, opts.Executable); err != nil {
			opts.Logger.Warn("refreshing the launcher that client entries run", "err", err)
		}
	}
	if opts.OnApprovals != nil && b.home != "" {
		svc, err := appask.Listen(b.home, b.askWindow)
		if err != nil {
			opts.Logger.Warn("headless conductors cannot ask for approvals through the app", "err", err)
		}
		b.channel = svc
	}
	b.op.Lock()
	b.startEngine(ctx)
	b.op.Unlock()
	return b
}

func homeFrom(getenv func(string) string) (string, error) {
	if h := getenv(config.EnvHome); h != "" {
		return filepath.Abs(h)
	}
	return config.HomeDir()
}

// Environ is the environment the engine sees, KEY=value.
func (b *Backend) Environ() []string { return b.opts.Environ }

// startEngine creates the engine if there is none, then brings the
// endpoint in line with the policy. b.op must be held.
func (b *Backend) startEngine(ctx context.Context) {
	b.mu.Lock()
	have := b.eng != nil || b.closed
	b.tried = time.Now()
	b.mu.Unlock()
	if have {
		b.syncEndpoint()
		return
	}
	e, err := engine.New(ctx, engine.Options{
		Version: b.opts.Version, Getenv: b.getenv, Logger: b.opts.Logger, AskApp: b.windowAsker,
		OnExecution: func(r audit.Record) {
			if b.opts.OnExecution != nil {
				b.opts.OnExecution(r)
			}
		},
	})
	b.mu.Lock()
	if b.closed && e != nil {
		b.mu.Unlock()
		e.Close()
		return
	}
	b.eng, b.engErr = e, err
	b.mu.Unlock()
	if err != nil {
		b.opts.Logger.Error("the engine did not start", "err", err)
	}
	b.syncEndpoint()
}

// reloadOrStart puts the files on disk in force: it reloads the running
// engine, or starts one when none runs (started). On a failed reload the
// engine keeps what it had. b.op must be held.
func (b *Backend) reloadOrStart(ctx context.Context) (started bool, err error) {
	b.mu.Lock()
	e := b.eng
	b.mu.Unlock()
	if e == nil {
		b.startEngine(ctx)
		_, err := b.engine()
		return true, err
	}
	err = e.Reload(ctx)
	b.syncEndpoint()
	return false, err
}

// engine returns the running engine, or an error wrapping ErrNoEngine that
// says why there is none.
func (b *Backend) engine() (*engine.Engine, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.eng == nil {
		if b.engErr == nil {
			return nil, ErrNoEngine
		}
		return nil, fmt.Errorf("%w: %w", ErrNoEngine, b.engErr)
	}
	return b.eng, nil
}

// retry starts the engine again if it failed long enough ago.
func (b *Backend) retry(ctx context.Context) {
	b.mu.Lock()
	due := b.eng == nil && !b.closed && time.Since(b.tried) > retryEvery
	b.mu.Unlock()
	if due && b.op.TryLock() {
		defer b.op.Unlock()
		b.startEngine(ctx)
	}
}

// policy is the policy in force: the engine's, or, without an engine, the
// one the settings and environment give now.
func (b *Backend) policy() (config.Policy, error) {
	if e, err := b.engine(); err == nil {
		return e.Policy(), nil
	}
	return config.Load(b.getenv)
}

// EngineStatus says whether the engine runs and, if not, why.
type EngineStatus struct {
	// Running reports whether code can run.
	Running bool `json:"running"`
	// Error says why the engine is not running.
	Error string `json:"error"`
	// Confined reports whether the kernel confines the sandbox too
	// (Landlock); Confinement describes it.
	Confined    bool   `json:"confined"`
	Confinement string `json:"confinement"`
}

// EngineStatus reports whether the engine runs.
func (b *Backend) EngineStatus() EngineStatus {
	e, err := b.engine()
	if err != nil {
		return EngineStatus{Error: err.Error()}
	}
	st := EngineStatus{Running: true}
	st.Confined, st.Confinement = e.Confinement()
	return st
}

// Close stops the endpoint and the engine.
func (b *Backend) Close() {
	b.op.Lock()
	defer b.op.Unlock()
	b.mu.Lock()
	was := b.closed
	b.closed = true
	e, ep, ch := b.eng, b.ep, b.channel
	b.eng, b.ep, b.channel = nil, nil, nil
	b.mu.Unlock()
	if !was {
		close(b.approvals.gone) // withdraws the questions still waiting
	}
	if ch != nil {
		ch.Close()
	}
	if ep != nil {
		ep.close()
	}
	if e != nil {
		e.Close()
	}
}
