package core

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

// RuntimeStatus reports the Deno runtime (services.Runtime).
func (c *Core) RuntimeStatus(ctx context.Context) (services.RuntimeStatus, error) {
	c.retry(ctx)
	var st services.RuntimeStatus
	if p, err := c.Policy(); err == nil && p.Deno != "" {
		st.Pinned = `the settings file's "deno"`
		if slices.Contains(p.FromEnv, config.EnvDeno) {
			st.Pinned = config.EnvDeno
		}
	}
	e, err := c.Engine()
	if err == nil {
		d := e.Deno()
		st.Found, st.Path, st.Version, st.Source = true, d.Path, d.Version, d.Source
		return st, nil
	}
	var nf *deno.NotFoundError
	if errors.As(err, &nf) {
		st.Detail = "Deno runs the sandboxed code and is not installed. Install it here, or set " + config.EnvDeno + "."
		return st, nil
	}
	// The engine failed for another reason: say where Deno is all the same.
	d, lerr := deno.Locate(ctx, deno.LocateOptions{Home: c.home, Getenv: c.getenv})
	if lerr != nil {
		st.Detail = lerr.Error()
		return st, nil
	}
	st.Found, st.Path, st.Version, st.Source = true, d.Path, d.Version, d.Source
	return st, nil
}

// ErrInstalling is returned by InstallDeno while another install runs.
var ErrInstalling = errors.New("Deno is being installed already")

// InstallDeno downloads and installs Deno into the conductor's home (see
// deno.Install), reporting progress to opts.Progress, then starts the
// engine on it (or switches the running engine to it). Only one install
// runs at a time. opts.Home is always the conductor's home.
func (c *Core) InstallDeno(ctx context.Context, opts deno.InstallOptions) (*deno.Runtime, error) {
	c.mu.Lock()
	if c.installing {
		c.mu.Unlock()
		return nil, ErrInstalling
	}
	c.installing = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.installing = false
		c.mu.Unlock()
	}()
	opts.Home = c.home
	if opts.Getenv == nil {
		opts.Getenv = c.getenv
	}
	rt, err := deno.Install(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("installing Deno: %w", err)
	}
	c.op.Lock()
	defer c.op.Unlock()
	c.mu.Lock()
	e := c.eng
	c.mu.Unlock()
	if e == nil {
		c.startEngine(ctx)
		if _, err := c.Engine(); err != nil {
			return rt, fmt.Errorf("Deno %s is installed, but %w", rt.Version, err)
		}
		return rt, nil
	}
	if err := e.Reload(ctx); err != nil {
		return rt, fmt.Errorf("Deno %s is installed, but the engine keeps the previous one: %w", rt.Version, err)
	}
	c.syncEndpoint()
	return rt, nil
}
