package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/autostart"
	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

const (
	// ID names the app's files: the autostart entry, the runtime folder.
	ID = "mcp-conductor"
	// BundleID is the app's macOS bundle identifier (build/darwin/Info.plist).
	BundleID = "dev.mcp-conductor"
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
	// The login item starts the app hidden: by the environment where the
	// item can set one, by the flag on Windows, whose Run key cannot.
	// On macOS the launch agent is named, by Apple's convention, with the
	// app's reverse-DNS bundle id (build/darwin/Info.plist).
	id, run, env := ID, []string{exe}, map[string]string{EnvStartHidden: "1"}
	switch runtime.GOOS {
	case "windows":
		run, env = []string{exe, "--start-hidden"}, nil
	case "darwin":
		id = BundleID
	}
	it, err := autostart.ForPlatform(id, Title,
		"Runs AI-written code in a Deno sandbox for your AI tools", run, env)
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
