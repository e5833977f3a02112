// Package config turns the administrator's settings (environment variables)
// into one immutable Policy. Nothing else in the conductor reads the
// environment: every other package receives a Policy.
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/packages"
)

// The environment variables the administrator sets.
const (
	EnvWorkspace       = "MCP_CONDUCTOR_WORKSPACE"
	EnvRunArgs         = "MCP_CONDUCTOR_RUN_ARGS"
	EnvAllowedPackages = "MCP_CONDUCTOR_ALLOWED_PACKAGES"
	EnvDefaultTimeout  = "MCP_CONDUCTOR_DEFAULT_TIMEOUT"
	EnvMaxTimeout      = "MCP_CONDUCTOR_MAX_TIMEOUT"
	EnvMCPConfig       = "MCP_CONDUCTOR_MCP_CONFIG"
	EnvDeno            = "MCP_CONDUCTOR_DENO"
	EnvAllowAll        = "MCP_CONDUCTOR_ALLOW_ALL"
	EnvMaxMemoryMB     = "MCP_CONDUCTOR_MAX_MEMORY_MB"
	EnvMaxOutputBytes  = "MCP_CONDUCTOR_MAX_OUTPUT_BYTES"
	EnvMaxConcurrency  = "MCP_CONDUCTOR_MAX_CONCURRENCY"
	EnvConfinement     = "MCP_CONDUCTOR_CONFINEMENT"
	EnvPoolSize        = "MCP_CONDUCTOR_POOL_SIZE"
	EnvPoolMaxIdleMB   = "MCP_CONDUCTOR_POOL_MAX_IDLE_MB"
	EnvPoolIdleTimeout = "MCP_CONDUCTOR_POOL_IDLE_TIMEOUT"
	// EnvJSRURL is Deno's own variable for a JSR registry mirror; the
	// install step and the sandbox must agree on it.
	EnvJSRURL = "JSR_URL"
)

// Confinement says how the kernel layer (Landlock on Linux) is applied.
type Confinement string

// Confinement modes.
const (
	ConfineAuto    Confinement = "auto"    // use it where the kernel has it; warn once where not
	ConfineRequire Confinement = "require" // refuse to run code without it
	ConfineOff     Confinement = "off"     // Deno's permission checks only
)

// Policy is everything the administrator decided, validated. It is a value:
// build a new one to change it.
type Policy struct {
	Home      string // the conductor's own folder (~/.mcp-conductor)
	Workspace string // the sandbox's working folder
	MCPConfig string // mcp-config.json of upstream servers
	Deno      string // deno binary named by the administrator; "" = locate

	Flags    []Flag // Deno permission flags from RUN_ARGS
	AllowAll bool   // whether allow-all may be used at all
	Packages packages.Allowlist

	DefaultTimeout  time.Duration
	MaxTimeout      time.Duration
	MaxMemoryMB     int
	MaxOutputBytes  int
	MaxConcurrency  int
	PoolSize        int           // processes started ahead of jobs
	PoolMaxIdleMB   int           // memory the waiting processes may hold
	PoolIdleTimeout time.Duration // drain the pool after this long unused
	Confinement     Confinement

	JSRURL string // JSR registry (Deno's JSR_URL); "" = https://jsr.io/

	HTTPPort    int  // the tray app's local endpoint
	HTTPEnabled bool // whether the tray app serves it

	// Settings is the settings file as read; FromEnv lists the variables
	// that were set (and so override the file).
	Settings Settings
	FromEnv  []string
}

// Defaults for the limits.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxTimeout      = 300 * time.Second
	DefaultMaxMemoryMB     = 512
	DefaultMaxOutputBytes  = 1 << 20
	DefaultMaxConcurrency  = 4
	DefaultPoolSize        = 2
	DefaultPoolMaxIdleMB   = 100
	DefaultPoolIdleTimeout = 10 * time.Minute
)

// FromEnv builds the Policy from the process environment.
func FromEnv() (Policy, error) { return Load(os.Getenv) }

// Load builds the Policy from the settings file in the conductor's home and
// getenv, whose variables override the file. Errors name the variable, or
// the file and field, at fault.
func Load(getenv func(string) string) (Policy, error) {
	home, err := homeDirFrom(getenv)
	if err != nil {
		return Policy{}, err
	}
	s, err := ReadSettings(SettingsPath(home))
	if err != nil {
		return Policy{}, err
	}
	return build(home, s, getenv)
}

func load(getenv func(string) string) (Policy, error) {
	var p Policy
	var err error
	if p.Home, err = homeDirFrom(getenv); err != nil {
		return Policy{}, err
	}
	p.Workspace = filepath.Join(p.Home, "workspace")
	if v := getenv(EnvWorkspace); v != "" {
		if p.Workspace, err = absPath(v, mustGetwd()); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", EnvWorkspace, err)
		}
	}
	p.MCPConfig = filepath.Join(p.Home, "mcp-config.json")
	if v := getenv(EnvMCPConfig); v != "" {
		if p.MCPConfig, err = absPath(v, mustGetwd()); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", EnvMCPConfig, err)
		}
	}
	if v := getenv(EnvDeno); v != "" {
		if p.Deno, err = absPath(v, mustGetwd()); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", EnvDeno, err)
		}
	}
	if p.AllowAll, err = boolVar(getenv, EnvAllowAll); err != nil {
		return Policy{}, err
	}
	if p.Flags, err = ParseRunArgs(getenv(EnvRunArgs), p.Workspace); err != nil {
		return Policy{}, fmt.Errorf("%s: %w", EnvRunArgs, err)
	}
	if GrantsOf(p.Flags).All && !p.AllowAll {
		return Policy{}, fmt.Errorf("%s: allow-all gives sandboxed code every permission; set %s=1 as well if you really mean it", EnvRunArgs, EnvAllowAll)
	}
	if p.Packages, err = packages.ParseAllowlist(getenv(EnvAllowedPackages)); err != nil {
		return Policy{}, fmt.Errorf("%s: %w", EnvAllowedPackages, err)
	}
	ms := func(name string, def time.Duration) (time.Duration, error) {
		n, err := intVar(getenv, name, int(def/time.Millisecond), 1, 24*3600*1000)
		return time.Duration(n) * time.Millisecond, err
	}
	if p.DefaultTimeout, err = ms(EnvDefaultTimeout, DefaultTimeout); err != nil {
		return Policy{}, err
	}
	if p.MaxTimeout, err = ms(EnvMaxTimeout, DefaultMaxTimeout); err != nil {
		return Policy{}, err
	}
	if p.DefaultTimeout > p.MaxTimeout {
		return Policy{}, fmt.Errorf("%s (%d ms) is above %s (%d ms)", EnvDefaultTimeout, p.DefaultTimeout.Milliseconds(), EnvMaxTimeout, p.MaxTimeout.Milliseconds())
	}
	if p.MaxMemoryMB, err = intVar(getenv, EnvMaxMemoryMB, DefaultMaxMemoryMB, 16, 1<<20); err != nil {
		return Policy{}, err
	}
	if p.MaxOutputBytes, err = intVar(getenv, EnvMaxOutputBytes, DefaultMaxOutputBytes, 1024, 1<<30); err != nil {
		return Policy{}, err
	}
	if p.MaxConcurrency, err = intVar(getenv, EnvMaxConcurrency, DefaultMaxConcurrency, 1, 256); err != nil {
		return Policy{}, err
	}
	if p.PoolSize, err = intVar(getenv, EnvPoolSize, DefaultPoolSize, 0, 64); err != nil {
		return Policy{}, err
	}
	if p.PoolMaxIdleMB, err = intVar(getenv, EnvPoolMaxIdleMB, DefaultPoolMaxIdleMB, 0, 1<<20); err != nil {
		return Policy{}, err
	}
	idleSec, err := intVar(getenv, EnvPoolIdleTimeout, int(DefaultPoolIdleTimeout/time.Second), 0, 7*24*3600)
	if err != nil {
		return Policy{}, err
	}
	p.PoolIdleTimeout = time.Duration(idleSec) * time.Second
	if p.JSRURL = getenv(EnvJSRURL); p.JSRURL != "" {
		if u, err := url.Parse(p.JSRURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Policy{}, fmt.Errorf("%s: %q is not an http(s) URL", EnvJSRURL, p.JSRURL)
		}
	}
	switch c := Confinement(strings.ToLower(getenv(EnvConfinement))); c {
	case "":
		p.Confinement = ConfineAuto
	case ConfineAuto, ConfineRequire, ConfineOff:
		p.Confinement = c
	default:
		return Policy{}, fmt.Errorf("%s: %q is not one of auto, require, off", EnvConfinement, c)
	}
	return p, nil
}

func intVar(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

func boolVar(getenv func(string) string, name string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(getenv(name))) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, fmt.Errorf("%s: %q is not a boolean (use 1 or 0)", name, getenv(name))
}

func mustGetwd() string {
	wd, err := os.Getwd()
	if err != nil {
		return "/"
	}
	return wd
}

// AuditLog is the path of the append-only audit log.
func (p Policy) AuditLog() string { return filepath.Join(p.Home, "logs", "audit.jsonl") }

// ProtectedPaths are the conductor's own files and folders: sandboxed code may
// never read or write them, even where the administrator's grants cover them.
// The workspace is exempt when it lies inside Home.
func (p Policy) ProtectedPaths() []string {
	out := []string{p.MCPConfig}
	if p.Deno != "" {
		out = append(out, p.Deno)
	}
	if entries, err := os.ReadDir(p.Home); err == nil {
		for _, e := range entries {
			out = append(out, filepath.Join(p.Home, e.Name()))
		}
	}
	for _, name := range []string{"settings.json", "mcp-config.json", "logs", "cache", "sandbox", "bin", "runtime", "backups", "http-token"} {
		out = append(out, filepath.Join(p.Home, name))
	}
	if !within(p.Workspace, p.Home) {
		out = append(out, p.Home)
	}
	var keep []string
	seen := map[string]bool{}
	for _, x := range out {
		if seen[x] || x == p.Workspace || within(p.Workspace, x) {
			continue
		}
		seen[x] = true
		keep = append(keep, x)
	}
	return keep
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
