package app

import (
	"errors"
	"fmt"

	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

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

// Engine reports whether the engine runs.
func (a *App) Engine() (EngineStatus, error) {
	c, err := a.coreOrErr("engine")
	if err != nil {
		return EngineStatus{}, err
	}
	e, err := c.Engine()
	if err != nil {
		return EngineStatus{Error: err.Error()}, nil
	}
	st := EngineStatus{Running: true}
	st.Confined, st.Confinement = e.Confinement()
	return st, nil
}

// InstallProgress is one step of a Deno install, sent as EventDenoProgress.
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

// InstallDenoOptions choose where Deno comes from.
type InstallDenoOptions struct {
	// Source is "github" (the default: the official release) or "npm".
	Source string `json:"source"`
	// BaseURL replaces the download location (a mirror or registry).
	BaseURL string `json:"baseUrl"`
}

// InstallDeno downloads, verifies and installs the latest Deno into the
// conductor's home, sending EventDenoProgress as it goes, then starts the
// engine on it. It returns the new runtime status. It refuses while a
// setting picks the Deno in use (RuntimeStatus.Pinned): the new one would
// not be used. A failed download is told in one sentence (installProblem).
func (a *App) InstallDeno(opts InstallDenoOptions) (services.RuntimeStatus, error) {
	c, err := a.coreOrErr("installing Deno")
	if err != nil {
		return services.RuntimeStatus{}, err
	}
	ctx := a.context()
	if st, err := c.RuntimeStatus(ctx); err == nil && st.Pinned != "" {
		return st, fmt.Errorf("%s chooses the Deno in use, so a Deno installed here would not be used; remove that setting first.", st.Pinned)
	}
	src := deno.Source(opts.Source)
	if src != "" && sourceNames[src] == "" {
		return services.RuntimeStatus{}, fmt.Errorf("unknown source %q; choose %q or %q", src, deno.GitHub, deno.NPM)
	}
	rt, ierr := c.InstallDeno(ctx, deno.InstallOptions{
		Source: src, BaseURL: opts.BaseURL,
		Progress: func(p deno.Progress) {
			a.cfg.Events.Emit(EventDenoProgress, InstallProgress{Phase: p.Phase, Done: p.Done, Total: p.Total,
				Percent: p.Percent(), BytesPerSecond: p.BytesPerSecond})
		},
	})
	if ierr != nil && rt == nil && !errors.Is(ierr, core.ErrInstalling) {
		ierr = installProblem(src, ierr)
	}
	st, err := c.RuntimeStatus(ctx)
	if ierr != nil {
		return st, ierr
	}
	return st, err
}

// EndpointToken returns the bearer token MCP clients send to the local
// endpoint.
func (a *App) EndpointToken() (string, error) {
	c, err := a.coreOrErr("local endpoint")
	if err != nil {
		return "", err
	}
	return c.Token()
}

// SetEndpoint turns the local endpoint on or off and sets its port (0
// keeps the current one), saving the settings, and returns its status.
func (a *App) SetEndpoint(on bool, port int) (services.EndpointStatus, error) {
	c, err := a.coreOrErr("local endpoint")
	if err != nil {
		return services.EndpointStatus{}, err
	}
	if port < 0 || port > 65535 || port > 0 && port < 1024 {
		return services.EndpointStatus{}, fmt.Errorf("port %d: choose a port from 1024 to 65535", port)
	}
	ctx := a.context()
	s, err := a.currentSettings(c)
	if err != nil {
		return services.EndpointStatus{}, err
	}
	s.HTTP.Disabled = !on
	if port != 0 {
		s.HTTP.Port = port
	}
	if err := c.SaveSettings(ctx, s); err != nil {
		return services.EndpointStatus{}, err
	}
	a.cfg.Events.Emit(EventSettings)
	return c.EndpointStatus(ctx)
}
