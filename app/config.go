package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/autostart"
	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

const (
	// ID names the app's files: the autostart entry, the runtime folder.
	ID = "mcp-conductor"
	// Title is the window's and the menus' name for the app.
	Title = "MCP Conductor"
	// EnvStartHidden, set to 1, starts with the window hidden (in the tray);
	// the login item sets it.
	EnvStartHidden = "MCP_CONDUCTOR_START_HIDDEN"

	stateTimeout = 3 * time.Second
	pollEvery    = 5 * time.Second
)

// DefaultConfig returns a Config for this machine with no services plugged
// in yet.
func DefaultConfig(version string) (Config, error) {
	p, err := backend.DefaultPaths()
	if err != nil {
		return Config{}, err
	}
	cfg := Config{Version: version, Paths: p, Events: &Events{}}
	exe, err := os.Executable()
	if err != nil {
		return Config{}, fmt.Errorf("finding this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	it, err := autostart.ForPlatform(ID, Title,
		"Runs AI-written code in a Deno sandbox for your AI tools",
		[]string{exe}, map[string]string{EnvStartHidden: "1"})
	switch {
	case errors.Is(err, autostart.ErrUnsupported):
		// leave cfg.Autostart nil: the UI says it is unsupported
	case err != nil:
		return Config{}, err
	default:
		cfg.Autostart = it
	}
	return cfg, nil
}
