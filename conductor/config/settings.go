package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/mcp-conductor/mcp-conductor/internal/jsonc"
)

// Settings is the administrator's settings file, <home>/settings.json: what
// the tray app edits and every --stdio process reads at startup.
// Environment variables override it field by field.
type Settings struct {
	Workspace        string      `json:"workspace,omitempty"`
	Permissions      Permissions `json:"permissions"`
	AllowedPackages  []string    `json:"allowedPackages,omitempty"` // "npm:axios@^1"
	DefaultTimeoutMs int         `json:"defaultTimeoutMs,omitempty"`
	MaxTimeoutMs     int         `json:"maxTimeoutMs,omitempty"`
	MaxMemoryMB      int         `json:"maxMemoryMB,omitempty"`
	MaxOutputBytes   int         `json:"maxOutputBytes,omitempty"`
	MaxConcurrency   int         `json:"maxConcurrency,omitempty"`
	PoolSize         *int        `json:"poolSize,omitempty"`
	MCPConfig        string      `json:"mcpConfig,omitempty"`
	Deno             string      `json:"deno,omitempty"`
	// HTTP is the tray app's local MCP endpoint.
	HTTP HTTPSettings `json:"http"`
	// Python configures run_python_code.
	Python PythonSettings `json:"python,omitzero"`
	// Skills configure save_skill.
	Skills SkillSettings `json:"skills,omitzero"`
}

// PythonSettings configure Python (run_python_code, through Pyodide).
type PythonSettings struct {
	Disabled bool   `json:"disabled,omitempty"`
	Pyodide  string `json:"pyodide,omitempty"`  // the runtime's folder; "" = the installed one
	PoolSize *int   `json:"poolSize,omitempty"` // interpreters kept booted; default 1
	// Packages is the allowlist: "name" or "name==version".
	Packages []string `json:"packages,omitempty"`
	// Index is a PEP 503 simple index of pure-Python wheels (a mirror).
	Index string `json:"index,omitempty"`
	// PyodideIndex is where Pyodide's own packages are downloaded from.
	PyodideIndex string `json:"pyodideIndex,omitempty"`
}

// SkillSettings configure the skills code saves for later executions.
type SkillSettings struct {
	// DisableSaving turns save_skill off: saved skills stay importable,
	// new ones can only be placed in the folder by the administrator.
	DisableSaving bool `json:"disableSaving,omitempty"`
	// RequireApproval makes save_skill ask a person before it writes
	// anything, as a tool call with the approval rule "ask" is asked.
	RequireApproval bool `json:"requireApproval,omitempty"`
}

// Permissions are the sandbox's grants, one per Deno permission.
type Permissions struct {
	Read  Grant `json:"read"`  // paths
	Write Grant `json:"write"` // paths
	Net   Grant `json:"net"`   // hosts, host:port
	Env   Grant `json:"env"`   // variable names
	Run   Grant `json:"run"`   // programs
	FFI   Grant `json:"ffi"`   // libraries
	Sys   Grant `json:"sys"`   // APIs (hostname, osRelease, ...)
	// Import lists hosts code may import modules from; rarely wanted: URL
	// imports are refused without it.
	Import Grant `json:"import,omitzero"`
}

// Grant is one permission: everything, a list, or (zero value) nothing.
type Grant struct {
	All  bool     `json:"all,omitempty"`
	List []string `json:"list,omitempty"`
}

// HTTPSettings configure the local streamable-HTTP endpoint.
type HTTPSettings struct {
	Disabled bool `json:"disabled,omitempty"`
	Port     int  `json:"port,omitempty"` // 0 = DefaultHTTPPort
}

// DefaultHTTPPort is the local endpoint's port unless the settings say otherwise.
const DefaultHTTPPort = 47813

// SettingsPath is the settings file in home.
func SettingsPath(home string) string { return filepath.Join(home, "settings.json") }

// ReadSettings reads the settings file. A missing file gives zero Settings.
// A file that does not parse is an error naming line and column.
func ReadSettings(path string) (Settings, error) {
	var s Settings
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	std, err := jsonc.Standard(data)
	if err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(std))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Settings{}, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

// WriteSettings validates s and writes it atomically (temporary file and
// rename, mode 0600), keeping the previous file as settings.json.bak.
func WriteSettings(home string, s Settings) error {
	// A Policy must build from it, with no environment in the way.
	if _, err := build(home, s, func(string) string { return "" }); err != nil {
		return err
	}
	path := SettingsPath(home)
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if err := fsx.MkdirPrivate(home); err != nil {
		return err
	}
	if old, err := os.ReadFile(path); err == nil {
		if err := fsx.WriteFile(path+".bak", old, 0o600); err != nil {
			return fmt.Errorf("back up %s: %w", path, err)
		}
	}
	return fsx.WriteFile(path, data, 0o600)
}

// EnvVars lists every variable the conductor reads.
var EnvVars = []string{EnvHome, EnvWorkspace, EnvRunArgs, EnvAllowedPackages, EnvDefaultTimeout, EnvMaxTimeout,
	EnvMCPConfig, EnvDeno, EnvAllowAll, EnvMaxMemoryMB, EnvMaxOutputBytes, EnvMaxConcurrency, EnvConfinement,
	EnvPoolSize, EnvPoolMaxIdleMB, EnvPoolIdleTimeout, EnvApprovalTimeout,
	EnvPython, EnvPyodide, EnvPythonPoolSize, EnvPythonPackages, EnvPythonIndex, EnvPyodideIndex}
