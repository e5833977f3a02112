package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// EnvHome names the variable that overrides the conductor's home folder.
const EnvHome = "MCP_CONDUCTOR_HOME"

// HomeDir returns the conductor's home folder: $MCP_CONDUCTOR_HOME, else
// ~/.mcp-conductor. The path is absolute; the folder may not exist yet.
func HomeDir() (string, error) {
	return homeDirFrom(os.Getenv)
}

func homeDirFrom(getenv func(string) string) (string, error) {
	if h := getenv(EnvHome); h != "" {
		abs, err := filepath.Abs(h)
		if err != nil {
			return "", fmt.Errorf("%s: %w", EnvHome, err)
		}
		return abs, nil
	}
	uh, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the user's home folder (set %s): %w", EnvHome, err)
	}
	return filepath.Join(uh, ".mcp-conductor"), nil
}
