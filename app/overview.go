package app

import (
	"fmt"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// Engine reports whether the engine runs.
func (a *App) Engine() (backend.EngineStatus, error) {
	b, err := a.backendOrErr("engine")
	if err != nil {
		return backend.EngineStatus{}, err
	}
	return b.EngineStatus(), nil
}

// Runtime reports the Deno runtime.
func (a *App) Runtime() (backend.RuntimeStatus, error) {
	b, err := a.backendOrErr("Deno runtime")
	if err != nil {
		return backend.RuntimeStatus{}, err
	}
	return b.RuntimeStatus(a.context()), nil
}

// InstallDeno downloads, verifies and installs the latest Deno into the
// conductor's home, sending EventDenoProgress as it goes, then starts the
// engine on it, and returns the new runtime status (backend.InstallDeno).
func (a *App) InstallDeno(opts backend.InstallDenoOptions) (backend.RuntimeStatus, error) {
	b, err := a.backendOrErr("installing Deno")
	if err != nil {
		return backend.RuntimeStatus{}, err
	}
	return b.InstallDeno(a.context(), opts, func(p backend.InstallProgress) {
		a.cfg.Events.Emit(EventDenoProgress, p)
	})
}

// Python reports Python's state: installed, enabled, the pool.
func (a *App) Python() (backend.PythonStatus, error) {
	b, err := a.backendOrErr("Python")
	if err != nil {
		return backend.PythonStatus{}, err
	}
	return b.PythonStatus(), nil
}

// InstallPython downloads, verifies and installs Pyodide into the
// conductor's home, sending EventPythonProgress as it goes, then switches
// the engine to it (backend.InstallPython).
func (a *App) InstallPython() (backend.PythonStatus, error) {
	b, err := a.backendOrErr("installing Python")
	if err != nil {
		return backend.PythonStatus{}, err
	}
	st, err := b.InstallPython(a.context(), func(p backend.InstallProgress) {
		a.cfg.Events.Emit(EventPythonProgress, p)
	})
	a.cfg.Events.Emit(EventStatus)
	return st, err
}

// Endpoint reports the local MCP endpoint.
func (a *App) Endpoint() (backend.EndpointStatus, error) {
	b, err := a.backendOrErr("local endpoint")
	if err != nil {
		return backend.EndpointStatus{}, err
	}
	return b.EndpointStatus(a.context()), nil
}

// EndpointToken returns the bearer token MCP clients send to the local
// endpoint.
func (a *App) EndpointToken() (string, error) {
	b, err := a.backendOrErr("local endpoint")
	if err != nil {
		return "", err
	}
	return b.Token()
}

// SetEndpoint turns the local endpoint on or off and sets its port (0
// keeps the current one), saving the settings, and returns its status.
func (a *App) SetEndpoint(on bool, port int) (backend.EndpointStatus, error) {
	b, err := a.backendOrErr("local endpoint")
	if err != nil {
		return backend.EndpointStatus{}, err
	}
	st, err := b.SetEndpoint(a.context(), on, port)
	if err != nil {
		return st, err
	}
	a.cfg.Events.Emit(EventSettings)
	return st, nil
}

// Clients lists the AI clients and whether MCP Conductor is set up in each.
func (a *App) Clients() ([]backend.ClientStatus, error) {
	b, err := a.backendOrErr("clients")
	if err != nil {
		return nil, err
	}
	cs, err := b.ListClients(a.context())
	if err != nil {
		return nil, fmt.Errorf("clients: %w", err)
	}
	return cs, nil
}
