// Package autostart turns "start MCP Conductor when I log in" on and off for
// the current user, without administrator rights.
//
// On Linux and the BSDs it writes an XDG autostart entry,
// $XDG_CONFIG_HOME/autostart/<id>.desktop; on macOS a launch agent,
// ~/Library/LaunchAgents/<id>.plist; on Windows a value named for the app
// under HKCU\Software\Microsoft\Windows\CurrentVersion\Run (the value the
// installer's "start on login" writes too). Other systems report
// ErrUnsupported.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/adrg/xdg"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// ErrUnsupported is returned on systems without a supported login-item
// mechanism.
var ErrUnsupported = errors.New("start on login is not supported on this system")

// Format names how a login item is stored.
type Format int

const (
	// XDG is a freedesktop.org autostart .desktop file.
	XDG Format = iota + 1
	// LaunchAgent is a macOS launchd property list.
	LaunchAgent
	// RunKey is a Windows Run-key value: a command line, named Item.Name.
	// It cannot carry an environment: put what Env would say in Exec.
	RunKey
)

// Item is one login item: what to run, and where its file lives.
type Item struct {
	// ID names the file, e.g. "mcp-conductor" (reverse-DNS on macOS).
	ID string
	// Name is the display name, e.g. "MCP Conductor".
	Name string
	// Comment is a one-line description shown by session managers.
	Comment string
	// Exec is the command line: Exec[0] is an absolute program path.
	Exec []string
	// Env is extra environment for the program, e.g. to start hidden.
	Env map[string]string
	// Format says how the file is written.
	Format Format
	// Path is the file that exists while the item is enabled (for RunKey,
	// the registry value, as Windows' tools name it).
	Path string
}

// ForPlatform returns the item for this system, stored where the session
// manager looks for it. It returns ErrUnsupported where there is no such place.
func ForPlatform(id, name, comment string, exec []string, env map[string]string) (*Item, error) {
	it := &Item{ID: id, Name: name, Comment: comment, Exec: exec, Env: env}
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		it.Format = XDG
		it.Path = filepath.Join(xdg.ConfigHome, "autostart", id+".desktop")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("finding the launch agents folder: %w", err)
		}
		it.Format = LaunchAgent
		it.Path = filepath.Join(home, "Library", "LaunchAgents", id+".plist")
	case "windows":
		if len(env) > 0 {
			return nil, fmt.Errorf("a Windows login item cannot set environment variables; pass them as arguments")
		}
		it.Format = RunKey
		it.Path = `HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\` + name
	default:
		return nil, fmt.Errorf("%s: %w", runtime.GOOS, ErrUnsupported)
	}
	return it, nil
}

// Enabled reports whether the item's file exists and is not disabled.
func (it *Item) Enabled() (bool, error) {
	if it.Format == RunKey {
		on, err := runKeyEnabled(it.Name)
		if err != nil {
			return false, fmt.Errorf("reading login item: %w", err)
		}
		return on, nil
	}
	b, err := os.ReadFile(it.Path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading login item: %w", err)
	}
	switch it.Format {
	case XDG:
		return desktopEntryEnabled(string(b)), nil
	case LaunchAgent:
		return true, nil
	}
	return false, fmt.Errorf("login item format %d: %w", it.Format, ErrUnsupported)
}

// SetEnabled writes the item's file (replacing any older one, so a moved
// binary is picked up) or removes it.
func (it *Item) SetEnabled(on bool) error {
	if it.Format == RunKey {
		if on && (len(it.Exec) == 0 || !filepath.IsAbs(it.Exec[0])) {
			return fmt.Errorf("login item needs an absolute program path, got %q", it.Exec)
		}
		if err := setRunKey(it.Name, it.Exec, on); err != nil {
			return fmt.Errorf("writing login item: %w", err)
		}
		return nil
	}
	if !on {
		if err := os.Remove(it.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing login item: %w", err)
		}
		return nil
	}
	if len(it.Exec) == 0 || !filepath.IsAbs(it.Exec[0]) {
		return fmt.Errorf("login item needs an absolute program path, got %q", it.Exec)
	}
	var content string
	switch it.Format {
	case XDG:
		content = desktopEntry(it)
	case LaunchAgent:
		content = launchAgent(it)
	default:
		return fmt.Errorf("login item format %d: %w", it.Format, ErrUnsupported)
	}
	if err := fsx.WriteFile(it.Path, []byte(content), 0o644); err != nil {
		return fmt.Errorf("writing login item: %w", err)
	}
	return nil
}
