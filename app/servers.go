package app

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/app/core"
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

// ServerForm is an entry as the page edits it and sends it back.
type ServerForm struct {
	Name    string   `json:"name"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Cwd     string   `json:"cwd"`
	Env     []Secret `json:"env"`
	// URL reaches the page with its user name, password and query values
	// masked as REDACTED (mcpconfig.RedactURL); sent back so, the stored parts
	// are kept, and a part typed in replaces its stored value.
	URL         string   `json:"url"`
	Type        string   `json:"type"` // "", "http", "sse"
	Headers     []Secret `json:"headers"`
	Disabled    bool     `json:"disabled"`
	Description string   `json:"description"`
	AllowTools  []string `json:"allowTools"`
	DenyTools   []string `json:"denyTools"`
}

// Secret is one env variable or header. Values that may be secrets reach
// the page masked: Value is "" and Stored is true. Sent back that way, the
// stored value is kept; a non-empty Value replaces it. Values made only of
// ${env:NAME} references (optionally after a scheme such as "Bearer ") are
// not secrets and are shown.
type Secret struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Stored bool   `json:"stored"`
}

var (
	placeholder   = regexp.MustCompile(`\$\{env:[A-Za-z_][A-Za-z0-9_]*\}`)
	notSecretRest = regexp.MustCompile(`^(?i:bearer|basic|token)?$`)
)

func masked(v string) bool {
	return !placeholder.MatchString(v) || !notSecretRest.MatchString(strings.TrimSpace(placeholder.ReplaceAllString(v, "")))
}

func secretsOut(m map[string]string) []Secret {
	out := []Secret{}
	for k, v := range m {
		if masked(v) {
			out = append(out, Secret{Name: k, Stored: true})
		} else {
			out = append(out, Secret{Name: k, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// secretsIn resolves the page's rows against the stored values.
func secretsIn(what string, rows []Secret, stored map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, r := range rows {
		name := strings.TrimSpace(r.Name)
		switch {
		case name == "" && r.Value == "":
			continue
		case name == "":
			return nil, fmt.Errorf("%s: a value has no name", what)
		case out[name] != "":
			return nil, fmt.Errorf("%s: %s is listed twice", what, name)
		}
		v := r.Value
		if v == "" && r.Stored {
			old, ok := stored[name]
			if !ok {
				return nil, fmt.Errorf("%s: %s has no stored value; type one", what, name)
			}
			v = old
		}
		out[name] = v
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func viewOf(sc mcpconfig.Server) ServerView {
	v := ServerView{Transport: sc.Transport(), ServerForm: ServerForm{
		Name: sc.Name, Command: sc.Command, Args: nonNil(sc.Args), Cwd: sc.Cwd, Env: secretsOut(sc.Env),
		URL: mcpconfig.RedactURL(sc.URL), Type: sc.Type, Headers: secretsOut(sc.Headers), Disabled: sc.Disabled,
		Description: sc.Description, AllowTools: nonNil(sc.AllowTools), DenyTools: nonNil(sc.DenyTools),
	}}
	v.Runs = summary(sc)
	if sc.Err != nil {
		v.Error = sc.Err.Error()
	}
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// configOf turns the page's form into an entry, taking the values sent
// masked from stored (the entry as saved, zero for a new one).
func configOf(f ServerForm, stored mcpconfig.Server) (mcpconfig.Server, error) {
	sc := mcpconfig.Server{
		Name: strings.TrimSpace(f.Name), Command: strings.TrimSpace(f.Command), Args: f.Args,
		Cwd: strings.TrimSpace(f.Cwd), URL: strings.TrimSpace(f.URL), Type: f.Type, Disabled: f.Disabled,
		Description: strings.TrimSpace(f.Description), AllowTools: cleanList(f.AllowTools), DenyTools: cleanList(f.DenyTools),
	}
	if len(sc.Args) == 0 {
		sc.Args = nil
	}
	var err error
	if sc.Env, err = secretsIn("environment", f.Env, stored.Env); err != nil {
		return sc, err
	}
	if sc.Headers, err = secretsIn("headers", f.Headers, stored.Headers); err != nil {
		return sc, err
	}
	if sc.URL, err = mcpconfig.RestoreURL(sc.URL, stored.URL); err != nil {
		return sc, err
	}
	if sc.Command != "" {
		sc.URL, sc.Type, sc.Headers = "", "", nil
	} else {
		sc.Args, sc.Cwd, sc.Env = nil, "", nil
	}
	return sc, mcpconfig.Validate(sc)
}

// serversFile is mcp-config.json of the policy in force.
func serversFile(c *core.Core) (string, error) {
	p, err := c.Policy()
	if err != nil {
		return "", err
	}
	return p.MCPConfig, nil
}

func (a *App) serversCore() (*core.Core, string, error) {
	c, err := a.coreOrErr("MCP servers")
	if err != nil {
		return nil, "", err
	}
	path, err := serversFile(c)
	return c, path, err
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
	return v
}

// MCPServers lists the entries of mcp-config.json. A file that does not
// parse is reported in the view's Error (with its line and column).
func (a *App) MCPServers() (ServersView, error) {
	c, path, err := a.serversCore()
	if err != nil {
		return ServersView{}, err
	}
	return a.liveView(c, path), nil
}

// liveView is the file's entries with the running engine's status of each.
func (a *App) liveView(c *core.Core, path string) ServersView {
	v := serversView(path)
	if e, err := c.Engine(); err == nil {
		live := map[string]proxy.ServerInfo{}
		for _, si := range e.Proxy().Servers(a.context(), false) {
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

func (a *App) editOpts(c *core.Core) mcpconfig.EditOptions {
	return mcpconfig.EditOptions{BackupDir: filepath.Join(c.Home(), "backups", "mcp-config")}
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
func (a *App) SaveMCPServer(original string, form ServerForm) (ServersView, error) {
	c, path, err := a.serversCore()
	if err != nil {
		return ServersView{}, err
	}
	old, err := stored(path, original)
	if err != nil {
		return ServersView{}, err
	}
	sc, err := configOf(form, old)
	if err != nil {
		return ServersView{}, err
	}
	if err := mcpconfig.SetServer(path, original, sc, a.editOpts(c)); err != nil {
		return ServersView{}, err
	}
	return a.liveView(c, path), nil
}

// RemoveMCPServer deletes an entry.
func (a *App) RemoveMCPServer(name string) (ServersView, error) {
	c, path, err := a.serversCore()
	if err != nil {
		return ServersView{}, err
	}
	if err := mcpconfig.RemoveServer(path, name, a.editOpts(c)); err != nil {
		return ServersView{}, err
	}
	return a.liveView(c, path), nil
}

// SetMCPServerDisabled turns an entry off (sandboxed code cannot reach it)
// or on again.
func (a *App) SetMCPServerDisabled(name string, disabled bool) (ServersView, error) {
	c, path, err := a.serversCore()
	if err != nil {
		return ServersView{}, err
	}
	if err := mcpconfig.SetDisabled(path, name, disabled, a.editOpts(c)); err != nil {
		return ServersView{}, err
	}
	return a.liveView(c, path), nil
}
