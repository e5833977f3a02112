package app

import "github.com/mcp-conductor/mcp-conductor/app/backend"

// trayClients does the tray menu's client actions (tray.Handler's
// RegisterClient, RepairClient, UnregisterClient) with the bindings the
// Clients page calls: the same entry, backup and atomic write. The menu
// has no preview, so each applies at once; a client that does not seem
// installed is never forced (its entry only links to the Clients page).
type trayClients struct{ app *App }

// RegisterClient adds MCP Conductor to the client id.
func (c trayClients) RegisterClient(id string) (backend.ClientStatus, error) {
	return c.done(c.app.RegisterClient(id, backend.ClientAction{Apply: true}))
}

// RepairClient rewrites MCP Conductor's entry in the client id.
func (c trayClients) RepairClient(id string) (backend.ClientStatus, error) {
	return c.done(c.app.RepairClient(id, backend.ClientAction{Apply: true}))
}

// UnregisterClient removes MCP Conductor from the client id.
func (c trayClients) UnregisterClient(id string) (backend.ClientStatus, error) {
	return c.done(c.app.UnregisterClient(id, backend.ClientAction{Apply: true}))
}

// done returns the client's status after the change.
func (c trayClients) done(ch backend.ClientChange, err error) (backend.ClientStatus, error) {
	if err != nil {
		return backend.ClientStatus{}, err
	}
	return ch.Status, nil
}
