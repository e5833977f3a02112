// Package mcpconfig reads and edits mcp-config.json, the file of upstream
// MCP servers the proxy connects to (the format every MCP client uses, plus
// the administrator's tool policy): parsing with line and column errors,
// validation, ${env:NAME} expansion, comment-preserving edits with backups,
// the import of other clients' entries, and URLs shown with their secrets
// masked. Package proxy uses it; so does the desktop app's servers page.
package mcpconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/internal/jsonc"
)

// Server is one entry of mcp-config.json's "mcpServers", in the format
// every MCP client uses, plus the administrator's tool policy.
type Server struct {
	Name string `json:"-"`

	// stdio servers
	Command string            `json:"command,omitempty"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	Cwd     string            `json:"cwd,omitempty"`

	// remote servers
	URL     string            `json:"url,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Type    string            `json:"type,omitempty"` // "http" (streamable, default for url), "sse", "stdio"

	Disabled    bool     `json:"disabled,omitempty"`
	Description string   `json:"description,omitempty"`
	AllowTools  []string `json:"allowTools,omitempty"` // names or patterns (* any characters, ? one); empty = all
	DenyTools   []string `json:"denyTools,omitempty"`  // names or patterns, applied after AllowTools
	// Approval says which of the allowed tools need a person's approval
	// when code calls them.
	Approval Approval `json:"approval,omitzero"`

	// Err is why this entry cannot be used (the others still can).
	Err error `json:"-"`
}

// Transport names the kind of connection the entry describes.
func (c Server) Transport() string {
	switch {
	case c.Command != "":
		return "stdio"
	case c.Type == "sse":
		return "sse"
	default:
		return "http"
	}
}

// ToolAllowed applies the entry's allowTools/denyTools.
func (c Server) ToolAllowed(tool string) bool {
	if len(c.AllowTools) > 0 && !matchAny(c.AllowTools, tool) {
		return false
	}
	return !matchAny(c.DenyTools, tool)
}

func matchAny(globs []string, name string) bool {
	for _, g := range globs {
		if globMatch(g, name) {
			return true
		}
	}
	return false
}

// Config is a parsed mcp-config.json.
type Config struct {
	Path    string
	Servers []Server // sorted by name
	// AskForChanges is the administrator's "ask for changes" switch (the
	// file's top-level "askForChanges"): a tool no approval rule names
	// needs approval when its annotations do not promise it only reads.
	AskForChanges bool
}

// Error is a problem with the file as a whole.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

var nameRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`) })

// Load reads path. A missing file is an empty configuration. Comments
// and trailing commas are accepted (JSONC). A file that does not parse is an
// error naming line and column; an entry that is wrong is kept with its Err
// set, so one bad server does not disable the others. getenv expands
// ${env:NAME} in env and headers values.
func Load(file string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return &Config{Path: file}, nil
	}
	if err != nil {
		return nil, &Error{file, err}
	}
	return Parse(file, data, getenv)
}

// Parse parses the contents of an mcp-config.json named file.
func Parse(file string, data []byte, getenv func(string) string) (*Config, error) {
	v, err := jsonc.Parse(data)
	if err != nil {
		return nil, &Error{file, err}
	}
	v.Standardize()
	var top struct {
		MCPServers    map[string]json.RawMessage `json:"mcpServers"`
		AskForChanges bool                       `json:"askForChanges"`
	}
	if err := json.Unmarshal(v.Pack(), &top); err != nil {
		return nil, &Error{file, fmt.Errorf(`expected {"mcpServers": {...}}: %v`, err)}
	}
	cfg := &Config{Path: file, AskForChanges: top.AskForChanges}
	for name, raw := range top.MCPServers {
		sc := Server{Name: name}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&sc); err != nil {
			sc = Server{Name: name, Err: fmt.Errorf("server %q: %v", name, err)}
		} else {
			sc.Name = name
			sc.Err = validate(sc)
			sc.Env = Expand(sc.Env, getenv, &sc.Err, name)
			sc.Headers = Expand(sc.Headers, getenv, &sc.Err, name)
		}
		cfg.Servers = append(cfg.Servers, sc)
	}
	sort.Slice(cfg.Servers, func(i, j int) bool { return cfg.Servers[i].Name < cfg.Servers[j].Name })
	return cfg, nil
}

func validate(c Server) error {
	switch {
	case !nameRe().MatchString(c.Name):
		return fmt.Errorf("server %q: names use letters, digits, '_', '-', '.' (at most 64)", c.Name)
	case c.Command == "" && c.URL == "":
		return fmt.Errorf("server %q: needs \"command\" (stdio) or \"url\" (HTTP)", c.Name)
	case c.Command != "" && c.URL != "":
		return fmt.Errorf("server %q: has both \"command\" and \"url\"", c.Name)
	case c.Type != "" && c.Type != "http" && c.Type != "sse" && c.Type != "stdio" && c.Type != "streamableHttp" && c.Type != "streamable-http":
		return fmt.Errorf("server %q: unknown type %q (http, sse or stdio)", c.Name, c.Type)
	case c.URL != "" && !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://"):
		return fmt.Errorf("server %q: url must be http:// or https://", c.Name)
	}
	for _, g := range append(append([]string(nil), c.AllowTools...), c.DenyTools...) {
		if err := checkGlob(g); err != nil {
			return fmt.Errorf("server %q: tool pattern %q: %v", c.Name, g, err)
		}
	}
	return c.Approval.validate(c.Name)
}

var placeholderRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}`) })

func Expand(m map[string]string, getenv func(string) string, errp *error, server string) map[string]string {
	if len(m) == 0 {
		return m
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = placeholderRe().ReplaceAllStringFunc(v, func(ph string) string {
			name := placeholderRe().FindStringSubmatch(ph)[1]
			val := getenv(name)
			if val == "" && *errp == nil {
				*errp = fmt.Errorf("server %q: %s refers to ${env:%s}, which is not set", server, k, name)
			}
			return val
		})
	}
	return out
}
