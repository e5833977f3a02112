package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// SettingsView is the Permissions & packages page: the settings file, what
// is in force, and which fields environment variables override.
type SettingsView struct {
	// Path is the settings file.
	Path string `json:"path"`
	// Settings is the file's content (zero fields mean the default).
	Settings config.Settings `json:"settings"`
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
}

// overridable maps each settings field to the variable that overrides it.
var overridable = []struct{ field, env string }{
	{"workspace", config.EnvWorkspace}, {"permissions", config.EnvRunArgs},
	{"allowedPackages", config.EnvAllowedPackages}, {"defaultTimeoutMs", config.EnvDefaultTimeout},
	{"maxTimeoutMs", config.EnvMaxTimeout}, {"maxMemoryMB", config.EnvMaxMemoryMB},
	{"maxOutputBytes", config.EnvMaxOutputBytes}, {"maxConcurrency", config.EnvMaxConcurrency},
	{"poolSize", config.EnvPoolSize}, {"mcpConfig", config.EnvMCPConfig}, {"deno", config.EnvDeno},
}

// Settings returns the Permissions & packages page's data.
func (a *App) Settings() (SettingsView, error) {
	c, err := a.coreOrErr("settings")
	if err != nil {
		return SettingsView{}, err
	}
	return settingsView(c)
}

func settingsView(c *core.Core) (SettingsView, error) {
	v := SettingsView{Path: config.SettingsPath(c.Home()), Overrides: map[string]string{}}
	for _, o := range overridable {
		if c.Getenv(o.env) != "" {
			v.Overrides[o.field] = o.env
		}
	}
	s, err := config.ReadSettings(v.Path)
	if err != nil {
		return v, fmt.Errorf("reading the settings: %w", err)
	}
	v.Settings = s
	p, err := c.Policy()
	if err != nil {
		v.Error = err.Error()
		return v, nil
	}
	v.Effective = Effective{
		Workspace: p.Workspace, Flags: []string{}, Packages: []string{},
		DefaultTimeoutMs: p.DefaultTimeout.Milliseconds(), MaxTimeoutMs: p.MaxTimeout.Milliseconds(),
		MaxMemoryMB: p.MaxMemoryMB, MaxOutputBytes: p.MaxOutputBytes, MaxConcurrency: p.MaxConcurrency,
		PoolSize: p.PoolSize, HTTPEnabled: p.HTTPEnabled, HTTPPort: p.HTTPPort,
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
func (a *App) SaveSettings(s config.Settings) (SettingsView, error) {
	c, err := a.coreOrErr("settings")
	if err != nil {
		return SettingsView{}, err
	}
	cur, err := config.ReadSettings(config.SettingsPath(c.Home()))
	if err != nil {
		return SettingsView{}, fmt.Errorf("reading the settings: %w", err)
	}
	next, err := mergeSettings(cur, s, c.Getenv)
	if err != nil {
		return SettingsView{}, err
	}
	if err := c.SaveSettings(a.context(), next); err != nil {
		return SettingsView{}, err
	}
	a.cfg.Events.Emit(EventSettings)
	return settingsView(c)
}

// CheckPackage says whether spec can go on the allowed packages list, as
// Save would judge it (registry, name, a version), so the page refuses a
// chip when it is added rather than at Save. Nil means it can.
func (a *App) CheckPackage(spec string) error {
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

// currentSettings is the settings file's content.
func (a *App) currentSettings(c *core.Core) (config.Settings, error) {
	s, err := config.ReadSettings(config.SettingsPath(c.Home()))
	if err != nil {
		return s, fmt.Errorf("reading the settings: %w", err)
	}
	return s, nil
}

// ChooseFolder asks the user for a folder with the system's dialog,
// starting in start; "" means the user cancelled.
func (a *App) ChooseFolder(title, start string) (string, error) {
	if a.cfg.PickFolder == nil {
		return "", notAvailable("the folder dialog")
	}
	dir, err := a.cfg.PickFolder(a.context(), title, start)
	if err != nil {
		return "", fmt.Errorf("the folder dialog: %w", err)
	}
	return dir, nil
}
