package backend

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// Settings is the settings file's content (config.Settings). It is an
// alias, not a copy: the page edits the file's own fields, and a field
// added to the file reaches the page without a second declaration.
type Settings = config.Settings

// SettingsView is the Permissions & packages page: the settings file, what
// is in force, and which fields environment variables override.
type SettingsView struct {
	// Path is the settings file.
	Path string `json:"path"`
	// Settings is the file's content (zero fields mean the default).
	Settings Settings `json:"settings"`
	// Effective is what is in force: file, environment and defaults merged.
	// Empty when the policy does not build (see Error).
	Effective Effective `json:"effective"`
	// Overrides maps a settings field ("workspace", "permissions",
	// "allowedPackages", "defaultTimeoutMs", ...) to the variable that
	// overrides it. Such fields cannot be changed here.
	Overrides map[string]string `json:"overrides"`
	// Error says why the current settings and environment do not make a
	// valid policy, if they do not.
	Error string `json:"error"`
}

// Effective is the policy in force, as the page shows it.
type Effective struct {
	Workspace        string   `json:"workspace"`
	Flags            []string `json:"flags"`    // Deno permission flags, e.g. --allow-read=/data
	Packages         []string `json:"packages"` // e.g. npm:axios@^1
	DefaultTimeoutMs int64    `json:"defaultTimeoutMs"`
	MaxTimeoutMs     int64    `json:"maxTimeoutMs"`
	MaxMemoryMB      int      `json:"maxMemoryMB"`
	MaxOutputBytes   int      `json:"maxOutputBytes"`
	MaxConcurrency   int      `json:"maxConcurrency"`
	PoolSize         int      `json:"poolSize"`
	HTTPEnabled      bool     `json:"httpEnabled"`
	HTTPPort         int      `json:"httpPort"`
	// Python is on in the policy (the runtime may still be missing: see
	// PythonStatus); PythonPackages its allowlist, PythonPoolSize the
	// interpreters kept booted.
	Python         bool     `json:"python"`
	PythonPackages []string `json:"pythonPackages"`
	PythonPoolSize int      `json:"pythonPoolSize"`
}

// overridable maps each settings field to the variable that overrides it.
var overridable = []struct{ field, env string }{
	{"workspace", config.EnvWorkspace}, {"permissions", config.EnvRunArgs},
	{"allowedPackages", config.EnvAllowedPackages}, {"defaultTimeoutMs", config.EnvDefaultTimeout},
	{"maxTimeoutMs", config.EnvMaxTimeout}, {"maxMemoryMB", config.EnvMaxMemoryMB},
	{"maxOutputBytes", config.EnvMaxOutputBytes}, {"maxConcurrency", config.EnvMaxConcurrency},
	{"poolSize", config.EnvPoolSize}, {"mcpConfig", config.EnvMCPConfig}, {"deno", config.EnvDeno},
	{"python.disabled", config.EnvPython}, {"python.poolSize", config.EnvPythonPoolSize},
	{"python.packages", config.EnvPythonPackages}, {"python.pyodide", config.EnvPyodide},
	{"python.index", config.EnvPythonIndex}, {"python.pyodideIndex", config.EnvPyodideIndex},
}

// Settings returns the Permissions & packages page's data.
func (b *Backend) Settings() (SettingsView, error) {
	v := SettingsView{Path: config.SettingsPath(b.home), Overrides: map[string]string{}}
	for _, o := range overridable {
		if b.getenv(o.env) != "" {
			v.Overrides[o.field] = o.env
		}
	}
	s, err := b.readSettings()
	if err != nil {
		return v, err
	}
	v.Settings = s
	p, err := b.policy()
	if err != nil {
		v.Error = err.Error()
		return v, nil
	}
	v.Effective = Effective{
		Workspace: p.Workspace, Flags: []string{}, Packages: []string{},
		DefaultTimeoutMs: p.DefaultTimeout.Milliseconds(), MaxTimeoutMs: p.MaxTimeout.Milliseconds(),
		MaxMemoryMB: p.MaxMemoryMB, MaxOutputBytes: p.MaxOutputBytes, MaxConcurrency: p.MaxConcurrency,
		PoolSize: p.PoolSize, HTTPEnabled: p.HTTPEnabled, HTTPPort: p.HTTPPort,
		Python: p.Python, PythonPackages: []string{}, PythonPoolSize: p.PythonPoolSize,
	}
	for _, x := range p.PythonPackages {
		v.Effective.PythonPackages = append(v.Effective.PythonPackages, x.String())
	}
	v.Effective.Flags = append(v.Effective.Flags, p.Grants.DenoFlags()...)
	for _, e := range p.Packages.Entries() {
		v.Effective.Packages = append(v.Effective.Packages, e.String())
	}
	return v, nil
}

// SaveSettings validates s, writes it to the settings file and switches the
// engine to it; it returns the page's new data. Fields that environment
// variables override keep the file's value whatever s says, and so do the
// fields this page does not edit (mcpConfig, deno). Lists are trimmed and
// deduplicated. Invalid input is refused with an error naming the field,
// and nothing is written.
func (b *Backend) SaveSettings(ctx context.Context, s Settings) (SettingsView, error) {
	cur, err := b.readSettings()
	if err != nil {
		return SettingsView{}, err
	}
	next, err := mergeSettings(cur, s, b.getenv)
	if err != nil {
		return SettingsView{}, err
	}
	if err := b.saveSettings(ctx, next); err != nil {
		return SettingsView{}, err
	}
	return b.Settings()
}

// saveSettings validates s and writes it to the settings file, then
// switches the engine (or starts it, if it was off) and the endpoint to it.
// When the engine refuses the new policy, the file is written but the
// previous policy stays in force, and the error says why.
func (b *Backend) saveSettings(ctx context.Context, s config.Settings) error {
	b.op.Lock()
	defer b.op.Unlock()
	if err := config.WriteSettings(b.home, s); err != nil {
		return err
	}
	switch started, err := b.reloadOrStart(ctx); {
	case err != nil && started:
		return fmt.Errorf("settings saved, but %w", err)
	case err != nil:
		return fmt.Errorf("settings saved, but the engine keeps the previous ones: %w", err)
	}
	return nil
}

// CheckPythonPackage says whether spec can go on the Python allowlist, as
// SaveSettings would judge it. Nil means it can.
func CheckPythonPackage(spec string) error {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return fmt.Errorf("type a package, for example numpy or tabulate==0.9.0")
	}
	_, err := config.ParsePythonPackages([]string{spec})
	return err
}

// CheckPackage says whether spec can go on the allowed packages list, as
// SaveSettings would judge it (registry, name, a version), so the page
// refuses a chip when it is added rather than at Save. Nil means it can.
func CheckPackage(spec string) error {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return fmt.Errorf("type a package, for example npm:zod@^3")
	}
	_, err := allowlist.New([]string{spec})
	return err
}

// mergeSettings takes the editable fields from s, except those getenv
// overrides, and everything else from cur.
func mergeSettings(cur, s config.Settings, getenv func(string) string) (config.Settings, error) {
	next := cur
	set := func(env string, apply func()) {
		if getenv(env) == "" {
			apply()
		}
	}
	set(config.EnvWorkspace, func() { next.Workspace = strings.TrimSpace(s.Workspace) })
	set(config.EnvRunArgs, func() { next.Permissions = cleanPermissions(s.Permissions) })
	var perr error
	set(config.EnvAllowedPackages, func() {
		next.AllowedPackages = cleanList(s.AllowedPackages)
		if _, err := allowlist.New(next.AllowedPackages); err != nil {
			perr = fmt.Errorf("allowed packages: %w", err)
		}
	})
	if perr != nil {
		return cur, perr
	}
	for _, n := range []struct {
		env  string
		dst  *int
		src  int
		name string
	}{
		{config.EnvDefaultTimeout, &next.DefaultTimeoutMs, s.DefaultTimeoutMs, "default timeout"},
		{config.EnvMaxTimeout, &next.MaxTimeoutMs, s.MaxTimeoutMs, "maximum timeout"},
		{config.EnvMaxMemoryMB, &next.MaxMemoryMB, s.MaxMemoryMB, "memory limit"},
		{config.EnvMaxOutputBytes, &next.MaxOutputBytes, s.MaxOutputBytes, "output limit"},
		{config.EnvMaxConcurrency, &next.MaxConcurrency, s.MaxConcurrency, "concurrent executions"},
	} {
		if n.src < 0 {
			return cur, fmt.Errorf("%s: %d is negative; leave it empty for the default", n.name, n.src)
		}
		set(n.env, func() { *n.dst = n.src })
	}
	set(config.EnvPoolSize, func() { next.PoolSize = s.PoolSize })
	set(config.EnvPython, func() { next.Python.Disabled = s.Python.Disabled })
	set(config.EnvPythonPoolSize, func() { next.Python.PoolSize = s.Python.PoolSize })
	set(config.EnvPythonPackages, func() {
		next.Python.Packages = cleanList(s.Python.Packages)
		if _, err := config.ParsePythonPackages(next.Python.Packages); err != nil {
			perr = fmt.Errorf("Python packages: %w", err)
		}
	})
	if perr != nil {
		return cur, perr
	}
	if p := s.Python.PoolSize; p != nil && (*p < 0 || *p > 16) {
		return cur, fmt.Errorf("Python interpreters kept ready: %d is not a whole number from 0 to 16", *p)
	}
	next.HTTP = s.HTTP
	if p := next.HTTP.Port; p != 0 && (p < 1024 || p > 65535) {
		return cur, fmt.Errorf("endpoint port %d: choose a port from 1024 to 65535", p)
	}
	return next, nil
}

func cleanPermissions(p config.Permissions) config.Permissions {
	for _, g := range []*config.Grant{&p.Read, &p.Write, &p.Net, &p.Env, &p.Run, &p.FFI, &p.Sys} {
		g.List = cleanList(g.List)
		if g.All {
			g.List = nil
		}
	}
	return p
}

// cleanList trims entries and drops empty and repeated ones.
func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// readSettings is the settings file's content.
func (b *Backend) readSettings() (config.Settings, error) {
	s, err := config.ReadSettings(config.SettingsPath(b.home))
	if err != nil {
		return s, fmt.Errorf("reading the settings: %w", err)
	}
	return s, nil
}
