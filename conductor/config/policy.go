// Package config turns the administrator's settings (environment variables)
// into one immutable Policy. Nothing else in the conductor reads the
// environment: every other package receives a Policy.
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
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
	// EnvApprovalTimeout bounds the wait for a person's answer to one
	// approval question, in milliseconds (the engine reads it).
	EnvApprovalTimeout = "MCP_CONDUCTOR_APPROVAL_TIMEOUT"
	EnvPython          = "MCP_CONDUCTOR_PYTHON"
	EnvPyodide         = "MCP_CONDUCTOR_PYODIDE"
	EnvPythonPoolSize  = "MCP_CONDUCTOR_PYTHON_POOL_SIZE"
	EnvPythonPackages  = "MCP_CONDUCTOR_PYTHON_PACKAGES"
	EnvPythonIndex     = "MCP_CONDUCTOR_PYTHON_INDEX"
	EnvPyodideIndex    = "MCP_CONDUCTOR_PYODIDE_INDEX"
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

	Grants   Grants // the sandbox's permissions
	AllowAll bool   // whether allow-all may be used at all
	Packages allowlist.List

	DefaultTimeout  time.Duration
	MaxTimeout      time.Duration
	MaxMemoryMB     int
	MaxOutputBytes  int
	MaxConcurrency  int
	PoolSize        int           // processes started ahead of jobs
	PoolMaxIdleMB   int           // memory the waiting processes may hold
	PoolIdleTimeout time.Duration // drain the pool after this long unused
	Confinement     Confinement

	// Python turns run_python_code on (where the Pyodide runtime exists).
	Python bool
	// Pyodide is the Pyodide runtime's folder; "" = PyodideDir(Home).
	Pyodide string
	// PythonPoolSize is how many Python interpreters wait, booted, once
	// Python has been used: each idles at about 200 MB.
	PythonPoolSize int
	// PythonPackages is the Python allowlist: "name" or "name==version".
	PythonPackages []PythonPackage
	// PythonIndex is a PEP 503 simple index serving pure-Python wheels;
	// PyodideIndex the folder serving Pyodide's own packages (the files
	// its lockfile names). "" = none.
	PythonIndex, PyodideIndex string

	JSRURL string // JSR registry (Deno's JSR_URL); "" = https://jsr.io/

	HTTPPort    int  // the tray app's local endpoint
	HTTPEnabled bool // whether the tray app serves it

	SkillSaving bool // whether save_skill may save skills
	// SkillApproval makes every save_skill ask a person first.
	SkillApproval bool

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
	DefaultPythonPoolSize  = 1
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

// field is one setting: the variable that overrides it and its name in the
// settings file. Errors about a value say where the value came from.
type field struct {
	env, name string
}

// source tells, for one build, where each setting's value comes from.
type source struct {
	home   string
	getenv func(string) string
}

// fromEnv reports whether the variable of f is set (and so wins over the file).
func (s source) fromEnv(f field) bool { return s.getenv(f.env) != "" }

// errorf builds an error about f's value, naming the variable or the file
// and field it came from.
func (s source) errorf(f field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if s.fromEnv(f) || f.name == "" {
		return fmt.Errorf("%s: %s", f.env, msg)
	}
	return fmt.Errorf("%s: %s: %s", SettingsPath(s.home), f.name, msg)
}

// The settings, by variable and settings-file field.
var (
	fWorkspace       = field{EnvWorkspace, "workspace"}
	fRunArgs         = field{EnvRunArgs, "permissions"}
	fAllowedPackages = field{EnvAllowedPackages, "allowedPackages"}
	fDefaultTimeout  = field{EnvDefaultTimeout, "defaultTimeoutMs"}
	fMaxTimeout      = field{EnvMaxTimeout, "maxTimeoutMs"}
	fMaxMemoryMB     = field{EnvMaxMemoryMB, "maxMemoryMB"}
	fMaxOutputBytes  = field{EnvMaxOutputBytes, "maxOutputBytes"}
	fMaxConcurrency  = field{EnvMaxConcurrency, "maxConcurrency"}
	fPoolSize        = field{EnvPoolSize, "poolSize"}
	fMCPConfig       = field{EnvMCPConfig, "mcpConfig"}
	fDeno            = field{EnvDeno, "deno"}
	fPython          = field{EnvPython, "python.disabled"}
	fPyodide         = field{EnvPyodide, "python.pyodide"}
	fPythonPoolSize  = field{EnvPythonPoolSize, "python.poolSize"}
	fPythonPackages  = field{EnvPythonPackages, "python.packages"}
	fPythonIndex     = field{EnvPythonIndex, "python.index"}
	fPyodideIndex    = field{EnvPyodideIndex, "python.pyodideIndex"}
)

// build makes the Policy from the settings file s and the environment,
// whose variables win, field by field. Each value is read from where it
// lives, in its own type: nothing is rendered to text and parsed again.
func build(home string, s Settings, getenv func(string) string) (Policy, error) {
	src := source{home: home, getenv: getenv}
	p := Policy{Home: home, Settings: s}
	var err error
	path := func(f field, fileValue, def string) (string, error) {
		v := fileValue
		if src.fromEnv(f) {
			v = getenv(f.env)
		}
		if v == "" {
			return def, nil
		}
		abs, err := absPath(v, mustGetwd())
		if err != nil {
			return "", src.errorf(f, "%v", err)
		}
		return abs, nil
	}
	if p.Workspace, err = path(fWorkspace, s.Workspace, filepath.Join(home, "workspace")); err != nil {
		return Policy{}, err
	}
	if p.MCPConfig, err = path(fMCPConfig, s.MCPConfig, filepath.Join(home, "mcp-config.json")); err != nil {
		return Policy{}, err
	}
	if p.Deno, err = path(fDeno, s.Deno, ""); err != nil {
		return Policy{}, err
	}
	if p.AllowAll, err = boolVar(getenv, EnvAllowAll); err != nil {
		return Policy{}, err
	}
	if p.Pyodide, err = path(fPyodide, s.Python.Pyodide, PyodideDir(home)); err != nil {
		return Policy{}, err
	}
	p.Python = !s.Python.Disabled
	if src.fromEnv(fPython) {
		if p.Python, err = boolVar(getenv, EnvPython); err != nil {
			return Policy{}, err
		}
	}
	p.PythonPoolSize = DefaultPythonPoolSize
	switch {
	case src.fromEnv(fPythonPoolSize):
		p.PythonPoolSize, err = intVar(getenv, EnvPythonPoolSize, DefaultPythonPoolSize, 0, 16)
	case s.Python.PoolSize != nil && (*s.Python.PoolSize < 0 || *s.Python.PoolSize > 16):
		err = src.errorf(fPythonPoolSize, "%d is not a whole number from 0 to 16", *s.Python.PoolSize)
	case s.Python.PoolSize != nil:
		p.PythonPoolSize = *s.Python.PoolSize
	}
	if err != nil {
		return Policy{}, err
	}
	if src.fromEnv(fRunArgs) {
		if p.Grants, err = ParseRunArgs(getenv(EnvRunArgs), p.Workspace); err != nil {
			return Policy{}, src.errorf(fRunArgs, "%v", err)
		}
	} else {
		p.Grants = Grants{Allow: s.Permissions}
		err := p.Grants.normalize(p.Workspace, func(_ string, k Permission, e *grantError) string {
			return fmt.Sprintf("%s: permissions.%s.list[%d]: %s", SettingsPath(home), k, e.index, e)
		})
		if err != nil {
			return Policy{}, err
		}
	}
	if p.Grants.All && !p.AllowAll {
		return Policy{}, fmt.Errorf("%s: allow-all gives sandboxed code every permission; set %s=1 as well if you really mean it", EnvRunArgs, EnvAllowAll)
	}
	if src.fromEnv(fAllowedPackages) {
		p.Packages, err = allowlist.Parse(getenv(EnvAllowedPackages))
	} else {
		p.Packages, err = allowlist.New(s.AllowedPackages)
	}
	if err != nil {
		return Policy{}, src.errorf(fAllowedPackages, "%v", err)
	}
	num := func(f field, fileValue, def, lo, hi int) (int, error) {
		if src.fromEnv(f) {
			return intVar(getenv, f.env, def, lo, hi)
		}
		if fileValue == 0 {
			return def, nil
		}
		if fileValue < lo || fileValue > hi {
			return 0, src.errorf(f, "%d is not a whole number from %d to %d", fileValue, lo, hi)
		}
		return fileValue, nil
	}
	ms := func(f field, fileValue int, def time.Duration) (time.Duration, error) {
		n, err := num(f, fileValue, int(def/time.Millisecond), 1, 24*3600*1000)
		return time.Duration(n) * time.Millisecond, err
	}
	if p.DefaultTimeout, err = ms(fDefaultTimeout, s.DefaultTimeoutMs, DefaultTimeout); err != nil {
		return Policy{}, err
	}
	if p.MaxTimeout, err = ms(fMaxTimeout, s.MaxTimeoutMs, DefaultMaxTimeout); err != nil {
		return Policy{}, err
	}
	if p.DefaultTimeout > p.MaxTimeout {
		return Policy{}, src.errorf(fDefaultTimeout, "%d ms is above the maximum timeout (%d ms)", p.DefaultTimeout.Milliseconds(), p.MaxTimeout.Milliseconds())
	}
	if p.MaxMemoryMB, err = num(fMaxMemoryMB, s.MaxMemoryMB, DefaultMaxMemoryMB, 16, 1<<20); err != nil {
		return Policy{}, err
	}
	if p.MaxOutputBytes, err = num(fMaxOutputBytes, s.MaxOutputBytes, DefaultMaxOutputBytes, 1024, 1<<30); err != nil {
		return Policy{}, err
	}
	if p.MaxConcurrency, err = num(fMaxConcurrency, s.MaxConcurrency, DefaultMaxConcurrency, 1, 256); err != nil {
		return Policy{}, err
	}
	p.PoolSize = DefaultPoolSize
	switch {
	case src.fromEnv(fPoolSize):
		p.PoolSize, err = intVar(getenv, EnvPoolSize, DefaultPoolSize, 0, 64)
	case s.PoolSize != nil && (*s.PoolSize < 0 || *s.PoolSize > 64):
		err = src.errorf(fPoolSize, "%d is not a whole number from 0 to 64", *s.PoolSize)
	case s.PoolSize != nil:
		p.PoolSize = *s.PoolSize
	}
	if err != nil {
		return Policy{}, err
	}
	pkgs := s.Python.Packages
	if src.fromEnv(fPythonPackages) {
		pkgs = splitList(getenv(EnvPythonPackages))
	}
	if p.PythonPackages, err = ParsePythonPackages(pkgs); err != nil {
		return Policy{}, src.errorf(fPythonPackages, "%v", err)
	}
	for _, x := range []struct {
		f    field
		file string
		dst  *string
	}{{fPythonIndex, s.Python.Index, &p.PythonIndex}, {fPyodideIndex, s.Python.PyodideIndex, &p.PyodideIndex}} {
		v := x.file
		if src.fromEnv(x.f) {
			v = getenv(x.f.env)
		}
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Policy{}, src.errorf(x.f, "%q is not an http(s) URL", v)
		}
		*x.dst = strings.TrimSuffix(v, "/") + "/"
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
	p.HTTPPort = s.HTTP.Port
	if p.HTTPPort == 0 {
		p.HTTPPort = DefaultHTTPPort
	}
	p.HTTPEnabled = !s.HTTP.Disabled
	p.SkillSaving = !s.Skills.DisableSaving
	p.SkillApproval = s.Skills.RequireApproval
	for _, k := range EnvVars {
		if getenv(k) != "" {
			p.FromEnv = append(p.FromEnv, k)
		}
	}
	sort.Strings(p.FromEnv)
	if err := p.checkGrantsAgainstProtected(); err != nil {
		return Policy{}, err
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

// PyodideDir is where the conductor keeps the Pyodide runtime it
// installed: in the package cache, which code may read but never change.
func PyodideDir(home string) string { return filepath.Join(home, "cache", "python", "pyodide") }

// SkillsDir is the folder of saved skills, which code imports as
// "skills/<name>".
func (p Policy) SkillsDir() string { return filepath.Join(p.Home, "skills") }

// AuditLog is the path of the append-only audit log.
func (p Policy) AuditLog() string { return filepath.Join(p.Home, "logs", "audit.jsonl") }
