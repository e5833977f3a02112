package backend

import (
	"context"
	"fmt"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
)

// ClientStatus describes one AI client as the window and the tray show it.
type ClientStatus struct {
	// ID is stable and machine-friendly, e.g. "cursor" or "claude-desktop".
	ID string `json:"id"`
	// Name is the display name, e.g. "Claude Desktop".
	Name string `json:"name"`
	// Installed reports whether the client was found on this machine.
	Installed bool `json:"installed"`
	// Configured reports whether MCP Conductor is registered in the client's
	// MCP configuration, as written or since changed by someone else, and
	// also when the client switched the entry off or a policy blocks it.
	Configured bool `json:"configured"`
	// Reenable reports, for a disabled entry, that Register turns it back
	// on.
	Reenable bool `json:"reenable"`
	// Drifted reports that the entry is there but someone edited it (a
	// changed command, args or env): Repair rewrites it. Drifted implies
	// Configured.
	Drifted bool `json:"drifted"`
	// ConfigPath is the client's MCP configuration file, when known.
	ConfigPath string `json:"configPath"`
	// Detail is a short human sentence, e.g. "restart Cursor to apply".
	Detail string `json:"detail"`
	// State is "not installed", "installed", "registered",
	// "registered-but-different", "disabled", "blocked" or "unreadable".
	State string `json:"state"`
	// Differs names the fields of the entry someone changed, comma
	// separated, when State is registered-but-different.
	Differs string `json:"differs"`
}

// clientOptions are the options every client operation uses: this
// machine's client files (or Options.ClientEnv) and the conductor's home
// for backups and locks.
func (b *Backend) clientOptions() clients.Options {
	return clients.Options{Env: b.opts.ClientEnv, Home: b.home}
}

// entry is the entry a registration writes: the launcher under
// <home>/bin with --stdio, carrying the MCP_CONDUCTOR_* variables of the
// app's environment.
func (b *Backend) entry() clients.Entry {
	return clients.StdioEntry(clients.LauncherPath(b.home), clients.ConductorEnv(b.opts.Environ))
}

// ensureLauncher puts the current program at the launcher path client
// entries run, when the Backend knows the program (Options.Executable).
func (b *Backend) ensureLauncher() error {
	if b.opts.Executable == "" {
		return nil
	}
	if _, err := clients.InstallLauncher(b.home, b.opts.Executable); err != nil {
		return fmt.Errorf("installing the launcher that client entries run: %w", err)
	}
	return nil
}

// ListClients reports every supported client; the list is never nil.
func (b *Backend) ListClients(ctx context.Context) ([]ClientStatus, error) {
	want, opts := b.entry(), b.clientOptions()
	out := []ClientStatus{}
	for _, cl := range clients.All() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, clientStatus(cl.Status(want, opts)))
	}
	return out, nil
}

// clientStatus turns a client's status into what the window shows.
func clientStatus(st clients.Status) ClientStatus {
	cs := ClientStatus{
		ID: st.Client.ID, Name: st.Client.Name, ConfigPath: st.Path, State: st.State.String(),
		Installed:  st.State != clients.NotInstalled,
		Configured: st.State == clients.Registered || st.State == clients.Drifted || st.State == clients.Disabled || st.State == clients.Blocked,
		Reenable:   st.State == clients.Disabled && st.Reenable,
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
	case clients.Disabled:
		cs.Detail = st.Client.Name + " has the entry switched off: " + st.Reason + "."
		if st.Reenable {
			cs.Detail += " Register turns it back on."
		}
	case clients.Blocked:
		cs.Detail = st.Client.Name + " will not start it: " + st.Reason + "."
	}
	return cs
}
