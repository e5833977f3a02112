// Package core runs MCP Conductor's engine inside the desktop app. It starts
// the engine, and keeps saying why when it cannot (Deno missing, settings
// invalid); serves the local MCP endpoint; saves settings and switches the
// engine to them; installs Deno; and reports what the window and the tray
// show (it implements the app/services interfaces).
package core

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

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/engine"
)

// Options configure a Core.
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
	// app's own: Playground and local endpoint). WatchAudit sees every
	// process's.
	OnExecution func(audit.Record)
	// OnChange is called after the engine, its policy, the endpoint or Deno
	// may have changed (started, reloaded, moved, stopped), so that what
	// the window and the tray show can be read again. It must not block.
	OnChange func()
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

// Core owns the engine and the local endpoint. It is safe for concurrent use.
type Core struct {
	opts   Options
	getenv func(string) string
	home   string

	op sync.Mutex // serialises starting, reloading and installing

	mu         sync.Mutex
	eng        *engine.Engine
	engErr     error
	tried      time.Time
	ep         *endpoint
	epErr      error
	closed     bool
	installing bool
}

// Start creates the engine. It does not fail: without Deno, or with
// settings that do not validate, the engine stays off, status reports say
// why, and the engine is started again after a Deno install, a settings
// save, or (at most every 15 s) a status query.
func Start(ctx context.Context, opts Options) *Core {
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
	c := &Core{opts: opts, getenv: func(k string) string { return env[k] }}
	if p, err := config.Load(c.getenv); err == nil {
		c.home = p.Home
	} else if h, herr := homeFrom(c.getenv); herr == nil {
		c.home = h
	}
	if opts.Executable != "" && c.home != "" {
		if _, err := clients.InstallLauncher(c.home, opts.Executable); err != nil {
			opts.Logger.Warn("refreshing the launcher that client entries run", "err", err)
		}
	}
	c.op.Lock()
	c.startEngine(ctx)
	c.op.Unlock()
	return c
}

func homeFrom(getenv func(string) string) (string, error) {
	if h := getenv(config.EnvHome); h != "" {
		return filepath.Abs(h)
	}
	return config.HomeDir()
}

// Home is the conductor's home folder.
func (c *Core) Home() string { return c.home }

// startEngine creates the engine if there is none, then brings the
// endpoint in line with the policy. c.op must be held.
func (c *Core) startEngine(ctx context.Context) {
	c.mu.Lock()
	have := c.eng != nil || c.closed
	c.tried = time.Now()
	c.mu.Unlock()
	if have {
		c.syncEndpoint()
		return
	}
	e, err := engine.New(ctx, engine.Options{
		Version: c.opts.Version, Getenv: c.getenv, Logger: c.opts.Logger,
		OnExecution: func(r audit.Record) {
			if c.opts.OnExecution != nil {
				c.opts.OnExecution(r)
			}
		},
	})
	c.mu.Lock()
	if c.closed && e != nil {
		c.mu.Unlock()
		e.Close()
		return
	}
	c.eng, c.engErr = e, err
	c.mu.Unlock()
	if err != nil {
		c.opts.Logger.Error("the engine did not start", "err", err)
	}
	c.syncEndpoint()
}

// Engine returns the running engine, or an error wrapping ErrNoEngine that
// says why there is none.
func (c *Core) Engine() (*engine.Engine, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eng == nil {
		if c.engErr == nil {
			return nil, ErrNoEngine
		}
		return nil, fmt.Errorf("%w: %w", ErrNoEngine, c.engErr)
	}
	return c.eng, nil
}

// retry starts the engine again if it failed long enough ago.
func (c *Core) retry(ctx context.Context) {
	c.mu.Lock()
	due := c.eng == nil && !c.closed && time.Since(c.tried) > retryEvery
	c.mu.Unlock()
	if due && c.op.TryLock() {
		defer c.op.Unlock()
		c.startEngine(ctx)
	}
}

// Policy is the policy in force: the engine's, or, without an engine, the
// one the settings and environment give now.
func (c *Core) Policy() (config.Policy, error) {
	if e, err := c.Engine(); err == nil {
		return e.Policy(), nil
	}
	return config.Load(c.getenv)
}

// Getenv reads the environment the engine sees.
func (c *Core) Getenv(k string) string { return c.getenv(k) }

// Environ is the environment the engine sees, KEY=value.
func (c *Core) Environ() []string { return c.opts.Environ }

// SaveSettings validates s and writes it to the settings file, then
// switches the engine (or starts it, if it was off) and the endpoint to it.
// When the engine refuses the new policy, the file is written but the
// previous policy stays in force, and the error says why.
func (c *Core) SaveSettings(ctx context.Context, s config.Settings) error {
	c.op.Lock()
	defer c.op.Unlock()
	if err := config.WriteSettings(c.home, s); err != nil {
		return err
	}
	c.mu.Lock()
	e := c.eng
	c.mu.Unlock()
	if e == nil {
		c.startEngine(ctx)
		_, err := c.Engine()
		if err != nil {
			return fmt.Errorf("settings saved, but %w", err)
		}
		return nil
	}
	if err := e.Reload(ctx); err != nil {
		c.syncEndpoint()
		return fmt.Errorf("settings saved, but the engine keeps the previous ones: %w", err)
	}
	c.syncEndpoint()
	return nil
}

// Close stops the endpoint and the engine.
func (c *Core) Close() {
	c.op.Lock()
	defer c.op.Unlock()
	c.mu.Lock()
	c.closed = true
	e, ep := c.eng, c.ep
	c.eng, c.ep = nil, nil
	c.mu.Unlock()
	if ep != nil {
		ep.close()
	}
	if e != nil {
		e.Close()
	}
}
