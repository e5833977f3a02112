// Package services declares what the desktop app needs from the rest of
// MCP Conductor: the local MCP endpoint, the Deno runtime and the AI clients.
//
// The GUI depends only on these small interfaces, never on the engine's
// packages, so each service can be plugged in when it exists. A nil service
// means "not available yet": the window and the tray say so instead of
// showing invented data.
package services

import (
	"context"
	"errors"
)

// ErrNotAvailable is returned (wrapped) by the app when a service has not been
// plugged in yet. Its text is what the frontend recognises, so keep it stable.
var ErrNotAvailable = errors.New("not available yet")

// Services bundles the providers the app uses. Any field may be nil.
type Services struct {
	// Endpoint reports the local MCP endpoint (streamable HTTP on loopback).
	Endpoint Endpoint
	// Runtime reports whether Deno, which runs the sandboxed code, is usable.
	Runtime Runtime
	// Clients lists the AI clients (Cursor, Claude Desktop, ...) found on this
	// machine and whether MCP Conductor is registered in each.
	Clients Clients
}

// EndpointStatus describes the local MCP endpoint.
type EndpointStatus struct {
	// URL is what an MCP client connects to, e.g. http://127.0.0.1:7465/mcp.
	// Empty when the endpoint is not serving.
	URL string `json:"url"`
	// Running reports whether the endpoint accepts connections now.
	Running bool `json:"running"`
	// Detail is a short human sentence, e.g. why the endpoint is stopped.
	Detail string `json:"detail"`
	// Enabled reports whether the settings turn the endpoint on.
	Enabled bool `json:"enabled"`
	// Port is the loopback port the settings give it.
	Port int `json:"port"`
}

// Endpoint is implemented by the engine's local server.
type Endpoint interface {
	EndpointStatus(ctx context.Context) (EndpointStatus, error)
}

// RuntimeStatus describes the Deno runtime the sandbox launches.
type RuntimeStatus struct {
	// Found reports whether a usable Deno binary exists.
	Found bool `json:"found"`
	// Path is the Deno binary in use, when found.
	Path string `json:"path"`
	// Version is Deno's version, e.g. "2.9.6", when found.
	Version string `json:"version"`
	// Detail is a short human sentence, e.g. how to install Deno.
	Detail string `json:"detail"`
	// Source says where it was found, e.g. "installed by mcp-conductor",
	// "PATH", "MCP_CONDUCTOR_DENO".
	Source string `json:"source"`
	// Pinned names the setting that picks the binary (the variable
	// MCP_CONDUCTOR_DENO or the settings file's "deno"), "" when Deno is
	// looked for; an install then does not change which Deno runs.
	Pinned string `json:"pinned"`
}

// Runtime is implemented by the runtime manager.
type Runtime interface {
	RuntimeStatus(ctx context.Context) (RuntimeStatus, error)
}

// ClientStatus describes one AI client as the GUI shows it.
type ClientStatus struct {
	// ID is stable and machine-friendly, e.g. "cursor" or "claude-desktop".
	ID string `json:"id"`
	// Name is the display name, e.g. "Claude Desktop".
	Name string `json:"name"`
	// Installed reports whether the client was found on this machine.
	Installed bool `json:"installed"`
	// Configured reports whether MCP Conductor is registered in the client's
	// MCP configuration, as written or since changed by someone else.
	Configured bool `json:"configured"`
	// Drifted reports that the entry is there but someone edited it (a
	// changed command, args or env): Repair rewrites it. Drifted implies
	// Configured.
	Drifted bool `json:"drifted"`
	// ConfigPath is the client's MCP configuration file, when known.
	ConfigPath string `json:"configPath"`
	// Detail is a short human sentence, e.g. "restart Cursor to apply".
	Detail string `json:"detail"`
	// State is "not installed", "installed", "registered",
	// "registered-but-different" or "unreadable".
	State string `json:"state"`
	// Differs names the fields of the entry someone changed, comma
	// separated, when State is registered-but-different.
	Differs string `json:"differs"`
}

// Clients is implemented by the clients manager.
type Clients interface {
	ListClients(ctx context.Context) ([]ClientStatus, error)
}
