package app

import (
	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
)

// ClientAction says how a register, unregister or repair runs.
type ClientAction struct {
	// Apply writes the change; otherwise it is only computed (a preview).
	Apply bool `json:"apply"`
	// Force registers a client that does not seem to be installed.
	Force bool `json:"force"`
}

// ClientChange is what a register, unregister or repair did, or would do.
type ClientChange struct {
	// Path is the client's configuration file.
	Path string `json:"path"`
	// Diff is a unified diff of the change, "" when there is none.
	Diff string `json:"diff"`
	// Changed reports whether the file's content differs.
	Changed bool `json:"changed"`
	// Written reports whether the file was written.
	Written bool `json:"written"`
	// Backup is the copy taken before writing, if any.
	Backup string `json:"backup"`
	// Status is the client's status afterwards.
	Status services.ClientStatus `json:"status"`
}

// RegisterClient adds MCP Conductor to a client's configuration: the
// launcher under <home>/bin with --stdio.
func (a *App) RegisterClient(id string, act ClientAction) (ClientChange, error) {
	return a.clientChange(id, act, func(c *core.Core, cl clients.Client, opts clients.Options) (*clients.Change, error) {
		return cl.Register(a.context(), c.Entry(), opts)
	})
}

// RepairClient rewrites an entry someone changed.
func (a *App) RepairClient(id string, act ClientAction) (ClientChange, error) {
	return a.clientChange(id, act, func(c *core.Core, cl clients.Client, opts clients.Options) (*clients.Change, error) {
		return cl.Repair(a.context(), c.Entry(), opts)
	})
}

// UnregisterClient removes MCP Conductor from a client's configuration;
// its other servers stay.
func (a *App) UnregisterClient(id string, act ClientAction) (ClientChange, error) {
	return a.clientChange(id, act, func(c *core.Core, cl clients.Client, opts clients.Options) (*clients.Change, error) {
		return cl.Unregister(a.context(), opts)
	})
}

func (a *App) clientChange(id string, act ClientAction, do func(*core.Core, clients.Client, clients.Options) (*clients.Change, error)) (ClientChange, error) {
	c, err := a.coreOrErr("clients")
	if err != nil {
		return ClientChange{}, err
	}
	cl, err := clients.Find(id)
	if err != nil {
		return ClientChange{}, err
	}
	opts := c.ClientOptions()
	opts.DryRun, opts.Force = !act.Apply, act.Force
	if act.Apply {
		if err := c.EnsureLauncher(); err != nil {
			return ClientChange{}, err
		}
	}
	ch, err := do(c, cl, opts)
	if err != nil {
		return ClientChange{}, err
	}
	if ch.Written {
		// The Clients page and the tray may both be showing this client.
		a.cfg.Events.Emit(EventClients, cl.ID)
	}
	return ClientChange{
		Path: ch.Path, Diff: ch.Diff(), Changed: ch.Changed(), Written: ch.Written, Backup: ch.Backup,
		Status: core.ClientStatus(cl.Status(c.Entry(), c.ClientOptions())),
	}, nil
}

// ClientLink is a one-click or one-command alternative to editing a file.
type ClientLink struct {
	Client string `json:"client"` // the client it is for
	Label  string `json:"label"`
	Value  string `json:"value"` // a URL or a shell command line
}

// ClientLinks returns Cursor's and VS Code's install links and the
// `claude mcp add` and `codex mcp add` commands for the same entry.
func (a *App) ClientLinks() ([]ClientLink, error) {
	c, err := a.coreOrErr("clients")
	if err != nil {
		return nil, err
	}
	links, err := clients.Links(c.Entry())
	if err != nil {
		return nil, err
	}
	out := make([]ClientLink, len(links))
	for i, l := range links {
		out[i] = ClientLink{Client: l.Client, Label: l.Label, Value: l.Value}
	}
	return out, nil
}
