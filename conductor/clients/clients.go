// Package clients registers mcp-conductor with MCP client applications
// (Cursor, Claude Desktop, VS Code, Claude Code, Codex, ...) by editing their
// configuration files.
//
// Every edit is surgical: only the "mcp-conductor" entry changes; other
// servers, unknown fields, key order and comments are kept byte for byte. A
// file that does not parse is never written. Each write takes a lock, saves a
// timestamped backup under <conductor home>/backups/<client>/ and replaces
// the file atomically, keeping its permissions.
//
// One table (see table.go) describes the clients; adding a client is one
// entry there.
package clients

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ServerName is the key of our entry in every client's configuration.
const ServerName = "mcp-conductor"

// EnvPrefix starts the names of the administrator's settings, which an entry
// carries in its env so that the launched server sees them.
const EnvPrefix = "MCP_CONDUCTOR_"

// Entry is the server entry written into a client's configuration: either a
// command to launch (stdio) or, when URL is set, a Streamable HTTP endpoint.
type Entry struct {
	// Command is the absolute path of the program to launch (stdio form).
	Command string
	// Args are the program's arguments, normally ["--stdio"].
	Args []string
	// Env holds environment variables for the launched program.
	Env map[string]string

	// URL selects the HTTP form: the server's Streamable HTTP endpoint.
	URL string
	// Headers are sent with every HTTP request, e.g. Authorization.
	Headers map[string]string
}

// StdioEntry returns the entry that launches launcher in headless MCP mode
// (`<launcher> --stdio`) with env, typically [ConductorEnv] of os.Environ().
func StdioEntry(launcher string, env map[string]string) Entry {
	return Entry{Command: launcher, Args: []string{"--stdio"}, Env: env}
}

// HTTPEntry returns the entry for a conductor served over Streamable HTTP at
// url. A non-empty token is sent as "Authorization: Bearer <token>".
func HTTPEntry(url, token string) Entry {
	e := Entry{URL: url}
	if token != "" {
		e.Headers = map[string]string{"Authorization": "Bearer " + token}
	}
	return e
}

// IsHTTP reports whether e is the HTTP form.
func (e Entry) IsHTTP() bool { return e.URL != "" }

// ConductorEnv picks the MCP_CONDUCTOR_* variables out of environ (in the
// "KEY=value" form of os.Environ) so that an entry can carry them.
func ConductorEnv(environ []string) map[string]string {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, EnvPrefix) {
			env[k] = v
		}
	}
	return env
}

func (e Entry) validate() error {
	switch {
	case e.URL != "" && e.Command != "":
		return errors.New("entry has both a command and a URL; choose one")
	case e.URL == "" && e.Command == "":
		return errors.New("entry has neither a command nor a URL")
	}
	return nil
}

// A Client is an MCP client application whose configuration we can edit.
type Client struct {
	// ID is the command-line name, e.g. "claude-desktop".
	ID string
	// Name is the display name, e.g. "Claude Desktop".
	Name string
	// ProjectScope reports whether the client reads a per-project file
	// (see Options.ProjectDir).
	ProjectScope bool
	// HTTP reports whether the client's file can hold the HTTP form.
	HTTP bool

	def *clientDef
}

// All returns every supported client in display order.
func All() []Client {
	out := make([]Client, len(table))
	for i := range table {
		out[i] = table[i].client()
	}
	return out
}

// Find returns the client with the given ID.
func Find(id string) (Client, error) {
	for i := range table {
		if table[i].id == id {
			return table[i].client(), nil
		}
	}
	ids := make([]string, len(table))
	for i := range table {
		ids[i] = table[i].id
	}
	return Client{}, fmt.Errorf("unknown client %q; choose one of: %s", id, strings.Join(ids, ", "))
}

// fields is an ordered JSON/TOML object: our entry, in the order we write it.
type fields []field

type field struct {
	key string
	val any // string, []string or map[string]string
}

// ownedKeys are the keys of our entry that we manage. Other keys inside the
// entry (a client's "disabled", "autoApprove", "timeout"...) are kept.
var ownedKeys = []string{"type", "source", "command", "args", "env", "environment", "url", "serverUrl", "httpUrl", "headers", "http_headers"}

func owned(key string) bool { return slices.Contains(ownedKeys, key) }

// render returns the fields the client's file should hold for e.
func (d *clientDef) render(e Entry) (fields, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	var f fields
	if !e.IsHTTP() {
		if d.stdioType != "" {
			f = append(f, field{"type", d.stdioType})
		}
		f = append(f, d.stdioExtra...)
		if d.commandArgs {
			f = append(f, field{"command", append([]string{e.Command}, e.Args...)})
		} else {
			f = append(f, field{"command", e.Command}, field{"args", nonNil(e.Args)})
		}
		if len(e.Env) > 0 {
			key := d.envKey
			if key == "" {
				key = "env"
			}
			f = append(f, field{key, maps.Clone(e.Env)})
		}
		return f, nil
	}
	if d.httpURLKey == "" {
		return nil, fmt.Errorf("%s cannot use an HTTP server from its configuration file: %s", d.name, d.httpHint)
	}
	if d.httpType != "" {
		f = append(f, field{"type", d.httpType})
	}
	f = append(f, field{d.httpURLKey, e.URL})
	if len(e.Headers) > 0 {
		f = append(f, field{d.headersKey, maps.Clone(e.Headers)})
	}
	return f, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
