package backend

import (
	"fmt"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// Paths are the folders the app shows and opens.
type Paths struct {
	// Home is MCP Conductor's home folder (MCP_CONDUCTOR_HOME).
	Home string `json:"home"`
	// Workspace is where sandboxed code may read and write files.
	Workspace string `json:"workspace"`
	// Logs holds the app's and the server's logs.
	Logs string `json:"logs"`
}

// DefaultPaths derives the folders from the administrator's policy
// (MCP_CONDUCTOR_HOME, MCP_CONDUCTOR_WORKSPACE): the workspace is the
// sandbox's, the logs are <home>/logs. A policy that does not validate must
// not keep the window shut, so the folders then fall back to their defaults
// under the home folder.
func DefaultPaths() (Paths, error) {
	return pathsFrom(config.FromEnv)
}

func pathsFrom(load func() (config.Policy, error)) (Paths, error) {
	if pol, err := load(); err == nil {
		return Paths{Home: pol.Home, Workspace: pol.Workspace, Logs: filepath.Join(pol.Home, "logs")}, nil
	}
	home, err := config.HomeDir()
	if err != nil {
		return Paths{}, fmt.Errorf("finding the home folder: %w", err)
	}
	return Paths{
		Home:      home,
		Workspace: filepath.Join(home, "workspace"),
		Logs:      filepath.Join(home, "logs"),
	}, nil
}
