package backend

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

// ServersView is the MCP servers page: the entries of mcp-config.json.
type ServersView struct {
	// Path is the file.
	Path string `json:"path"`
	// Error says why the file cannot be read; it is then never written.
	Error string `json:"error"`
	// Servers are the entries, sorted by name.
	Servers []ServerView `json:"servers"`
	// AskForChanges is the file's "ask for changes" switch: code's calls of
	// tools that may change things wait for a person's approval unless a
	// rule of the entry says otherwise.
	AskForChanges bool `json:"askForChanges"`
}

// ServerView is one entry. Secret values are not sent (see Secret).
type ServerView struct {
	ServerForm
	// Transport is "stdio", "http" or "sse".
	Transport string `json:"transport"`
	// Runs is what the list shows: the command line, or the URL, with
	// secret-looking arguments and URL parts masked.
	Runs string `json:"runs"`
	// Error says why the proxy refuses the entry, if it does.
	Error string `json:"error"`
	// Status is the running engine's view of the server: "connected",
	// "not connected" (it starts on first use), "error" (with Error set) or
	// "disabled"; "" without an engine. Nothing is started to find out.
	Status string `json:"status"`
}

// serversFile is mcp-config.json of the policy in force.
func (b *Backend) serversFile() (string, error) {
	p, err := b.policy()
	if err != nil {
		return "", err
	}
	return p.MCPConfig, nil
}

func serversView(path string) ServersView {
	v := ServersView{Path: path, Servers: []ServerView{}}
	f, err := mcpconfig.ReadFile(path)
	if err != nil {
		v.Error = err.Error()
		return v
	}
	for _, s := range f.Servers {
		v.Servers = append(v.Servers, viewOf(s))
	}
	v.AskForChanges = f.AskForChanges
	return v
}

// MCPServers lists the entries of mcp-config.json. A file that does not
// parse is reported in the view's Error (with its line and column).
func (b *Backend) MCPServers(ctx context.Context) (ServersView, error) {
	path, err := b.serversFile()
	if err != nil {
		return ServersView{}, err
	}
	return b.liveView(ctx, path), nil
}

// liveView is the file's entries with the running engine's status of each.
func (b *Backend) liveView(ctx context.Context, path string) ServersView {
	v := serversView(path)
	if e, err := b.engine(); err == nil {
		live := map[string]proxy.ServerInfo{}
		for _, si := range e.Proxy().Servers(ctx, false) {
			live[si.Name] = si
		}
		for i := range v.Servers {
			if si, ok := live[v.Servers[i].Name]; ok {
				v.Servers[i].Status = si.Status
				if v.Servers[i].Error == "" {
					v.Servers[i].Error = si.Error
				}
			}
		}
	}
	return v
}

// edit changes mcp-config.json with do, which gets the file and the edit
// options, and returns the new view.
func (b *Backend) edit(ctx context.Context, do func(path string, opts mcpconfig.EditOptions) error) (ServersView, error) {
	path, err := b.serversFile()
	if err != nil {
		return ServersView{}, err
	}
	if err := do(path, b.editOptions()); err != nil {
		return ServersView{}, err
	}
	return b.liveView(ctx, path), nil
}

// editOptions keep a backup of each write under <home>/backups/mcp-config.
func (b *Backend) editOptions() mcpconfig.EditOptions {
	return mcpconfig.EditOptions{BackupDir: filepath.Join(b.home, "backups", "mcp-config")}
}

// stored returns the saved entry called name (zero if name is "").
func stored(path, name string) (mcpconfig.Server, error) {
	if name == "" {
		return mcpconfig.Server{}, nil
	}
	f, err := mcpconfig.ReadFile(path)
	if err != nil {
		return mcpconfig.Server{}, err
	}
	sc, ok := f.Server(name)
	if !ok {
		return sc, fmt.Errorf("no server named %q in %s", name, path)
	}
	return sc, nil
}

// SaveMCPServer adds the entry (original "") or replaces the one called
// original, renaming it if the form's name differs. Fields the page does
// not know and comments in the file are kept.
func (b *Backend) SaveMCPServer(ctx context.Context, original string, form ServerForm) (ServersView, error) {
	return b.edit(ctx, func(path string, opts mcpconfig.EditOptions) error {
		old, err := stored(path, original)
		if err != nil {
			return err
		}
		sc, err := configOf(form, old)
		if err != nil {
			return err
		}
		return mcpconfig.SetServer(path, original, sc, opts)
	})
}

// RemoveMCPServer deletes an entry.
func (b *Backend) RemoveMCPServer(ctx context.Context, name string) (ServersView, error) {
	return b.edit(ctx, func(path string, opts mcpconfig.EditOptions) error {
		return mcpconfig.RemoveServer(path, name, opts)
	})
}

// SetAskForChanges turns the "ask for changes" switch on or off.
func (b *Backend) SetAskForChanges(ctx context.Context, on bool) (ServersView, error) {
	return b.edit(ctx, func(path string, opts mcpconfig.EditOptions) error {
		return mcpconfig.SetAskForChanges(path, on, opts)
	})
}

// SetMCPServerDisabled turns an entry off (sandboxed code cannot reach it)
// or on again.
func (b *Backend) SetMCPServerDisabled(ctx context.Context, name string, disabled bool) (ServersView, error) {
	return b.edit(ctx, func(path string, opts mcpconfig.EditOptions) error {
		return mcpconfig.SetDisabled(path, name, disabled, opts)
	})
}
