package core

import (
	"context"
	"fmt"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
)

// ClientOptions are the options every client operation uses: this
// machine's client files (or Options.ClientEnv) and the conductor's home
// for backups and locks.
func (c *Core) ClientOptions() clients.Options {
	return clients.Options{Env: c.opts.ClientEnv, Home: c.home}
}

// Entry is the entry a registration writes: the launcher under
// <home>/bin with --stdio, carrying the MCP_CONDUCTOR_* variables of the
// app's environment.
func (c *Core) Entry() clients.Entry {
	return clients.StdioEntry(clients.LauncherPath(c.home), clients.ConductorEnv(c.opts.Environ))
}

// EnsureLauncher puts the current program at the launcher path client
// entries run, when the Core knows the program (Options.Executable).
func (c *Core) EnsureLauncher() error {
	if c.opts.Executable == "" {
		return nil
	}
	if _, err := clients.InstallLauncher(c.home, c.opts.Executable); err != nil {
		return fmt.Errorf("installing the launcher that client entries run: %w", err)
	}
	return nil
}

// ListClients reports every supported client (services.Clients).
func (c *Core) ListClients(ctx context.Context) ([]services.ClientStatus, error) {
	want, opts := c.Entry(), c.ClientOptions()
	var out []services.ClientStatus
	for _, cl := range clients.All() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, ClientStatus(cl.Status(want, opts)))
	}
	return out, nil
}

// ClientStatus turns a client's status into what the window shows.
func ClientStatus(st clients.Status) services.ClientStatus {
	cs := services.ClientStatus{
		ID: st.Client.ID, Name: st.Client.Name, ConfigPath: st.Path, State: st.State.String(),
		Installed:  st.State != clients.NotInstalled,
		Configured: st.State == clients.Registered || st.State == clients.Drifted,
		Drifted:    st.State == clients.Drifted,
		Differs:    strings.Join(st.Differs, ", "),
	}
	switch st.State {
	case clients.Drifted:
		cs.Detail = fmt.Sprintf("Someone changed the entry (%s); Repair rewrites it.", cs.Differs)
	case clients.Unreadable:
		cs.Detail = fmt.Sprint(st.Err)
	case clients.Registered:
		cs.Detail = "Restart " + st.Client.Name + " after a change to apply it."
	}
	return cs
}
