package backend

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

// RuntimeStatus describes the Deno runtime the sandbox launches.
type RuntimeStatus struct {
	// Found reports whether a usable Deno binary exists.
	Found bool `json:"found"`
	// Path is the Deno binary in use, when found.
	Path string `json:"path"`
	// Version is Deno's version, e.g. "2.9.6", when found.
	Version string `json:"version"`
	// Detail is a short human sentence, e.g. how to install Deno.
	Detail string `json:"detail"`
	// Source says where it was found, e.g. "installed by mcp-conductor",
	// "PATH", "MCP_CONDUCTOR_DENO".
	Source string `json:"source"`
	// Pinned names the setting that picks the binary (the variable
	// MCP_CONDUCTOR_DENO or the settings file's "deno"), "" when Deno is
	// looked for; an install then does not change which Deno runs.
	Pinned string `json:"pinned"`
}

// RuntimeStatus reports the Deno runtime.
func (b *Backend) RuntimeStatus(ctx context.Context) RuntimeStatus {
	b.retry(ctx)
	var st RuntimeStatus
	if p, err := b.policy(); err == nil && p.Deno != "" {
		st.Pinned = `the settings file's "deno"`
		if slices.Contains(p.FromEnv, config.EnvDeno) {
			st.Pinned = config.EnvDeno
		}
	}
	e, err := b.engine()
	if err == nil {
		d := e.Deno()
		st.Found, st.Path, st.Version, st.Source = true, d.Path, d.Version, d.Source
		return st
	}
	var nf *deno.NotFoundError
	if errors.As(err, &nf) {
		st.Detail = "Deno runs the sandboxed code and is not installed. Install it here, or set " + config.EnvDeno + "."
		return st
	}
	// The engine failed for another reason: say where Deno is all the same.
	d, lerr := deno.Locate(ctx, deno.LocateOptions{Home: b.home, Getenv: b.getenv})
	if lerr != nil {
		st.Detail = lerr.Error()
		return st
	}
	st.Found, st.Path, st.Version, st.Source = true, d.Path, d.Version, d.Source
	return st
}

// InstallDenoOptions choose where Deno comes from.
type InstallDenoOptions struct {
	// Source is "github" (the default: the official release) or "npm".
	Source string `json:"source"`
	// BaseURL replaces the download location (a mirror or registry).
	BaseURL string `json:"baseUrl"`
}

// InstallProgress is one step of a Deno install.
type InstallProgress struct {
	// Phase is "resolve", "download", "verify", "extract" or "done".
	Phase string `json:"phase"`
	// Done and Total count downloaded bytes; Total is -1 when unknown.
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
	// Percent is 0 to 100, or -1 when the size is unknown.
	Percent        float64 `json:"percent"`
	BytesPerSecond float64 `json:"bytesPerSecond"`
}

// ErrInstalling is returned by InstallDeno while another install runs.
var ErrInstalling = errors.New("Deno is being installed already")

// InstallDeno downloads, verifies and installs the latest Deno into the
// conductor's home (see deno.Install), calling progress (if not nil) as it
// goes, then starts the engine on it (or switches the running engine to
// it), and returns the runtime status. Only one install runs at a time. It
// refuses while a setting picks the Deno in use (RuntimeStatus.Pinned): the
// new one would not be used. A failed download is told in one sentence
// (installProblem).
func (b *Backend) InstallDeno(ctx context.Context, opts InstallDenoOptions, progress func(InstallProgress)) (RuntimeStatus, error) {
	if st := b.RuntimeStatus(ctx); st.Pinned != "" {
		return st, fmt.Errorf("%s chooses the Deno in use, so a Deno installed here would not be used; remove that setting first.", st.Pinned)
	}
	src := deno.Source(opts.Source)
	if src != "" && sourceNames[src] == "" {
		return RuntimeStatus{}, fmt.Errorf("unknown source %q; choose %q or %q", src, deno.GitHub, deno.NPM)
	}
	rt, err := b.install(ctx, deno.InstallOptions{
		Source: src, BaseURL: opts.BaseURL,
		Progress: func(p deno.Progress) {
			if progress != nil {
				progress(InstallProgress{Phase: p.Phase, Done: p.Done, Total: p.Total,
					Percent: p.Percent(), BytesPerSecond: p.BytesPerSecond})
			}
		},
	})
	if err != nil && rt == nil && !errors.Is(err, ErrInstalling) {
		err = installProblem(src, err)
	}
	return b.RuntimeStatus(ctx), err
}

// install runs deno.Install with the conductor's home, then starts the
// engine on the new Deno (or switches the running engine to it).
func (b *Backend) install(ctx context.Context, opts deno.InstallOptions) (*deno.Runtime, error) {
	b.mu.Lock()
	if b.installing {
		b.mu.Unlock()
		return nil, ErrInstalling
	}
	b.installing = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.installing = false
		b.mu.Unlock()
	}()
	opts.Home = b.home
	if opts.Getenv == nil {
		opts.Getenv = b.getenv
	}
	rt, err := deno.Install(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("installing Deno: %w", err)
	}
	b.op.Lock()
	defer b.op.Unlock()
	switch started, err := b.reloadOrStart(ctx); {
	case err != nil && started:
		return rt, fmt.Errorf("Deno %s is installed, but %w", rt.Version, err)
	case err != nil:
		return rt, fmt.Errorf("Deno %s is installed, but the engine keeps the previous one: %w", rt.Version, err)
	}
	return rt, nil
}
