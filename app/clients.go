package app

import (
	"context"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// RegisterClient adds MCP Conductor to a client's configuration: the
// launcher under <home>/bin with --stdio.
func (a *App) RegisterClient(id string, act backend.ClientAction) (backend.ClientChange, error) {
	return a.clientChange(id, act, (*backend.Backend).RegisterClient)
}

// RepairClient rewrites an entry someone changed.
func (a *App) RepairClient(id string, act backend.ClientAction) (backend.ClientChange, error) {
	return a.clientChange(id, act, (*backend.Backend).RepairClient)
}

// UnregisterClient removes MCP Conductor from a client's configuration;
// its other servers stay.
func (a *App) UnregisterClient(id string, act backend.ClientAction) (backend.ClientChange, error) {
	return a.clientChange(id, act, (*backend.Backend).UnregisterClient)
}

// clientChange runs one of the backend's client changes and, when it wrote
// the file, tells the window and the tray (EventClients): the Clients page
// and the tray may both be showing the client.
func (a *App) clientChange(id string, act backend.ClientAction,
	do func(*backend.Backend, context.Context, string, backend.ClientAction) (backend.ClientChange, error)) (backend.ClientChange, error) {
	b, err := a.backendOrErr("clients")
	if err != nil {
		return backend.ClientChange{}, err
	}
	ch, err := do(b, a.context(), id, act)
	if err != nil {
		return ch, err
	}
	if ch.Written {
		a.cfg.Events.Emit(EventClients, ch.Status.ID)
	}
	return ch, nil
}

// ClientLinks returns Cursor's and VS Code's install links and the
// `claude mcp add` and `codex mcp add` commands for the same entry.
func (a *App) ClientLinks() ([]backend.ClientLink, error) {
	b, err := a.backendOrErr("clients")
	if err != nil {
		return nil, err
	}
	return b.ClientLinks()
}
