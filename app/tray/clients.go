package tray

import (
	"fmt"
	"log/slog"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// ClientState is where an AI client stands, as the tray names it.
type ClientState string

// The client states, in the words of the Clients submenu.
const (
	// ClientConnected: MCP Conductor's entry is there, as written.
	ClientConnected ClientState = "connected"
	// ClientNeedsRepair: the entry is there but someone changed it.
	ClientNeedsRepair ClientState = "needs repair"
	// ClientNotConnected: the client is installed, without our entry.
	ClientNotConnected ClientState = "not connected"
	// ClientNotInstalled: the client was not found on this machine.
	ClientNotInstalled ClientState = "not installed"
	// ClientUnreadable: the client's file cannot be read or parsed, so the
	// tray writes nothing to it.
	ClientUnreadable ClientState = "unreadable"
	// ClientSwitchedOff: the entry is there but the client turned it off.
	ClientSwitchedOff ClientState = "switched off"
	// ClientBlocked: the entry is there but a policy of the client keeps it
	// from starting.
	ClientBlocked ClientState = "blocked"
)

// StateOf classifies a client's status.
func StateOf(c backend.ClientStatus) ClientState {
	switch {
	case c.State == "disabled":
		return ClientSwitchedOff
	case c.State == "blocked":
		return ClientBlocked
	case c.Drifted:
		return ClientNeedsRepair
	case c.Configured:
		return ClientConnected
	case c.State == "unreadable":
		return ClientUnreadable
	case c.Installed:
		return ClientNotConnected
	}
	return ClientNotInstalled
}

// clientItems is the Clients submenu: the last failure of a client action,
// if any, then one entry per client.
func clientItems(s State) []Item {
	var items []Item
	if s.ClientError != "" {
		items = append(items, Item{Title: truncate("⚠ " + s.ClientError), Tooltip: s.ClientError, Disabled: true},
			Item{Separator: true})
	}
	switch {
	case !s.ClientsAvailable:
		return append(items, Item{Title: "Not available yet", Disabled: true})
	case s.ClientsErr != "":
		return append(items, Item{Title: "Could not list clients: " + truncate(s.ClientsErr), Disabled: true})
	case len(s.Clients) == 0:
		return append(items, Item{Title: "No AI clients found", Disabled: true})
	}
	for _, c := range s.Clients {
		items = append(items, clientItem(c))
	}
	return items
}

// clientItem is one client's entry: a submenu with the actions its state
// allows, or, for a client that is not installed, a link to the Clients
// page (which can set it up anyway).
func clientItem(c backend.ClientStatus) Item {
	st := StateOf(c)
	title := truncate(fmt.Sprintf("%s — %s", clientName(c), st))
	if st == ClientNotInstalled {
		return Item{Title: title, Action: ActOpenClients,
			Tooltip: "Not found on this machine; the Clients page can set it up anyway"}
	}
	act := func(title string, a Action, tip string) Item {
		return Item{Title: title, Action: a, Client: c.ID, Tooltip: tip}
	}
	register := act(TitleRegister, ActRegister, "Add MCP Conductor to "+c.ConfigPath)
	repair := act(TitleRepair, ActRepair, c.Detail)
	remove := act(TitleUnregister, ActUnregister, "Remove MCP Conductor from "+c.ConfigPath+"; other servers stay")
	var children []Item
	switch st {
	case ClientNotConnected:
		children = []Item{register}
	case ClientNeedsRepair:
		children = []Item{repair, remove}
	case ClientConnected:
		children = []Item{remove}
	case ClientUnreadable:
		children = []Item{{Title: truncate(c.Detail), Tooltip: c.Detail, Disabled: true}}
	case ClientSwitchedOff, ClientBlocked:
		// Why, then what may be done: turn it on (when Register can) or
		// remove it; a policy only its owner lifts.
		children = []Item{{Title: truncate(c.Detail), Tooltip: c.Detail, Disabled: true}}
		if c.Reenable {
			children = append(children, act(TitleTurnOn, ActRegister, "Turn MCP Conductor's entry in "+c.ConfigPath+" back on"))
		}
		children = append(children, remove)
	}
	children = append(children, Item{Separator: true}, Item{Title: TitleClientsPage, Action: ActOpenClients})
	return Item{Title: title, Tooltip: c.Detail, Children: children}
}

func clientName(c backend.ClientStatus) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// changeClient performs a client action through the handler, then shows
// the client's new status, or the failure on the Clients submenu's first
// line and in the tooltip.
func (t *Tray) changeClient(a Action, id string) {
	var do func(string) (backend.ClientStatus, error)
	var verb string
	switch a {
	case ActRegister:
		do, verb = t.h.RegisterClient, "register MCP Conductor in"
	case ActRepair:
		do, verb = t.h.RepairClient, "repair MCP Conductor's entry in"
	case ActUnregister:
		do, verb = t.h.UnregisterClient, "remove MCP Conductor from"
	default:
		return
	}
	if id == "" {
		return
	}
	st, err := do(id)
	t.Update(func(s *State) {
		if err != nil {
			name := id
			if i := slices.IndexFunc(s.Clients, func(c backend.ClientStatus) bool { return c.ID == id }); i >= 0 {
				name = clientName(s.Clients[i])
			}
			s.ClientError = fmt.Sprintf("Could not %s %s: %v", verb, name, err)
			slog.Warn("tray: " + s.ClientError)
			return
		}
		s.ClientError = ""
		if i := slices.IndexFunc(s.Clients, func(c backend.ClientStatus) bool { return c.ID == st.ID }); i >= 0 {
			// a copy: the state before the update shares the old slice
			s.Clients = slices.Clone(s.Clients)
			s.Clients[i] = st
		}
	})
}
