// Package tray is MCP Conductor's notification-area icon and menu.
//
// One Tray owns everything behind one mutex: the State it shows and the
// systray items built from it. The menu is never patched: every change of
// State rebuilds it (Menu is the pure function from State to items), and all
// clicks arrive on one channel read by one event loop that calls a Handler.
package tray

import (
	"fmt"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/icon"
)

// Health is the overall condition shown by the tray icon's badge.
type Health int

const (
	// HealthUnknown: the engine's status is not available (yet).
	HealthUnknown Health = iota
	// HealthReady: Deno is usable and the local endpoint serves.
	HealthReady
	// HealthDenoMissing: no usable Deno, so no code can run.
	HealthDenoMissing
	// HealthError: something failed; Detail says what.
	HealthError
)

// String returns a short human label.
func (h Health) String() string {
	switch h {
	case HealthReady:
		return "Ready"
	case HealthDenoMissing:
		return "Deno is missing"
	case HealthError:
		return "Error"
	}
	return "Status not available yet"
}

// State is everything the tray shows. The zero value is a valid "nothing
// known yet" state.
type State struct {
	// Health picks the badge and the first menu line.
	Health Health
	// Detail adds a short sentence to the health, e.g. the error text.
	Detail string

	// Endpoint is the local MCP endpoint, nil while the backend is not
	// plugged in.
	Endpoint *backend.EndpointStatus

	// ClientsAvailable is false while the backend is not plugged in.
	ClientsAvailable bool
	// Clients are the AI clients to list in the Clients submenu.
	Clients []backend.ClientStatus
	// ClientsErr is set when listing the clients failed.
	ClientsErr string
	// ClientError says why the last client action taken from the menu
	// (Register, Repair, Remove) failed; "" once one succeeds. It is the
	// tray's own: SetState keeps it.
	ClientError string

	// AutostartSupported reports whether "Start on login" can be toggled here.
	AutostartSupported bool
	// Autostart reports whether the app starts on login.
	Autostart bool
}

// Equal reports whether two states show the same thing.
func (s State) Equal(o State) bool {
	endpointEq := (s.Endpoint == nil) == (o.Endpoint == nil) &&
		(s.Endpoint == nil || *s.Endpoint == *o.Endpoint)
	return s.Health == o.Health && s.Detail == o.Detail && endpointEq &&
		s.ClientsAvailable == o.ClientsAvailable && slices.Equal(s.Clients, o.Clients) &&
		s.ClientsErr == o.ClientsErr && s.ClientError == o.ClientError &&
		s.AutostartSupported == o.AutostartSupported &&
		s.Autostart == o.Autostart
}

// Badge is the icon badge for the state.
func (s State) Badge() icon.Badge {
	switch s.Health {
	case HealthReady:
		return icon.BadgeReady
	case HealthDenoMissing:
		return icon.BadgeWarning
	case HealthError:
		return icon.BadgeError
	}
	return icon.NoBadge
}

// Tooltip is the text shown when pointing at the icon.
func (s State) Tooltip() string {
	t := "MCP Conductor — " + s.Health.String()
	if s.Detail != "" {
		t += ": " + s.Detail
	}
	if s.ClientError != "" {
		t += ". " + s.ClientError
	}
	return t
}

// StatusLine is the first, informative menu line.
func (s State) StatusLine() string {
	if s.Detail != "" {
		return fmt.Sprintf("%s: %s", s.Health, s.Detail)
	}
	return s.Health.String()
}

// EndpointURL is the URL to copy, or "" when there is none.
func (s State) EndpointURL() string {
	if s.Endpoint == nil {
		return ""
	}
	return s.Endpoint.URL
}
