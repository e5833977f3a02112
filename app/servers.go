package app

import "github.com/mcp-conductor/mcp-conductor/app/backend"

// servers is the backend for the MCP servers page.
func (a *App) servers() (*backend.Backend, error) { return a.backendOrErr("MCP servers") }

// MCPServers lists the entries of mcp-config.json, with the running
// engine's status of each.
func (a *App) MCPServers() (backend.ServersView, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServersView{}, err
	}
	return b.MCPServers(a.context())
}

// SaveMCPServer adds the entry (original "") or replaces the one called
// original, renaming it if the form's name differs.
func (a *App) SaveMCPServer(original string, form backend.ServerForm) (backend.ServersView, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServersView{}, err
	}
	return b.SaveMCPServer(a.context(), original, form)
}

// RemoveMCPServer deletes an entry.
func (a *App) RemoveMCPServer(name string) (backend.ServersView, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServersView{}, err
	}
	return b.RemoveMCPServer(a.context(), name)
}

// SetAskForChanges turns the "ask for changes" switch of mcp-config.json
// on or off.
func (a *App) SetAskForChanges(on bool) (backend.ServersView, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServersView{}, err
	}
	return b.SetAskForChanges(a.context(), on)
}

// SetMCPServerDisabled turns an entry off (sandboxed code cannot reach it)
// or on again.
func (a *App) SetMCPServerDisabled(name string, disabled bool) (backend.ServersView, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServersView{}, err
	}
	return b.SetMCPServerDisabled(a.context(), name, disabled)
}

// TestMCPServer connects to the entry as the form describes it (saved or
// not) and lists its tools, or says why it could not connect.
func (a *App) TestMCPServer(original string, form backend.ServerForm) (backend.ServerTest, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServerTest{}, err
	}
	return b.TestMCPServer(a.context(), original, form)
}

// ImportableServers lists the servers configured in Cursor and Claude
// Desktop.
func (a *App) ImportableServers() ([]backend.ImportCandidate, error) {
	b, err := a.servers()
	if err != nil {
		return nil, err
	}
	return b.ImportableServers()
}

// ImportServers copies the picked servers from the clients' files into
// mcp-config.json, all of them or none.
func (a *App) ImportServers(picks []backend.ImportPick) (backend.ServersView, error) {
	b, err := a.servers()
	if err != nil {
		return backend.ServersView{}, err
	}
	return b.ImportServers(a.context(), picks)
}
