package backend

import (
	"context"

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
	Status ClientStatus `json:"status"`
}

// RegisterClient adds MCP Conductor to a client's configuration: the
// launcher under <home>/bin with --stdio.
func (b *Backend) RegisterClient(ctx context.Context, id string, act ClientAction) (ClientChange, error) {
	return b.clientChange(id, act, func(cl clients.Client, opts clients.Options) (*clients.Change, error) {
		return cl.Register(ctx, b.entry(), opts)
	})
}

// RepairClient rewrites an entry someone changed.
func (b *Backend) RepairClient(ctx context.Context, id string, act ClientAction) (ClientChange, error) {
	return b.clientChange(id, act, func(cl clients.Client, opts clients.Options) (*clients.Change, error) {
		return cl.Repair(ctx, b.entry(), opts)
	})
}

// UnregisterClient removes MCP Conductor from a client's configuration;
// its other servers stay.
func (b *Backend) UnregisterClient(ctx context.Context, id string, act ClientAction) (ClientChange, error) {
	return b.clientChange(id, act, func(cl clients.Client, opts clients.Options) (*clients.Change, error) {
		return cl.Unregister(ctx, opts)
	})
}

func (b *Backend) clientChange(id string, act ClientAction, do func(clients.Client, clients.Options) (*clients.Change, error)) (ClientChange, error) {
	cl, err := clients.Find(id)
	if err != nil {
		return ClientChange{}, err
	}
	opts := b.clientOptions()
	opts.DryRun, opts.Force = !act.Apply, act.Force
	if act.Apply {
		if err := b.ensureLauncher(); err != nil {
			return ClientChange{}, err
		}
	}
	ch, err := do(cl, opts)
	if err != nil {
		return ClientChange{}, err
	}
	return ClientChange{
		Path: ch.Path, Diff: ch.Diff(), Changed: ch.Changed(), Written: ch.Written, Backup: ch.Backup,
		Status: clientStatus(cl.Status(b.entry(), b.clientOptions())),
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
func (b *Backend) ClientLinks() ([]ClientLink, error) {
	links, err := clients.Links(b.entry())
	if err != nil {
		return nil, err
	}
	out := make([]ClientLink, len(links))
	for i, l := range links {
		out[i] = ClientLink{Client: l.Client, Label: l.Label, Value: l.Value}
	}
	return out, nil
}
