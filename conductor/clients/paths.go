package clients

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/adrg/xdg"
)

// Env describes the machine whose client configurations are edited. The zero
// value means this machine: see [DefaultEnv]. Tests and tools set it to
// resolve the paths of another user or operating system.
type Env struct {
	// GOOS is "darwin", "linux", "windows", ...
	GOOS string
	// Home is the user's home folder.
	Home string
	// ConfigHome is $XDG_CONFIG_HOME (Unix; "" means ~/.config).
	ConfigHome string
	// Getenv reads other variables: APPDATA, LOCALAPPDATA, CODEX_HOME,
	// CLAUDE_CONFIG_DIR, FLATPAK_XDG_CONFIG_HOME. Nil reads none.
	Getenv func(string) string
}

// DefaultEnv returns the Env of the running process. It reads XDG base
// directories through github.com/adrg/xdg, which reads the environment once
// at start-up (call xdg.Reload after changing it).
func DefaultEnv() (Env, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Env{}, fmt.Errorf("cannot find the user's home folder (set HOME): %w", err)
	}
	e := Env{GOOS: runtime.GOOS, Home: home, Getenv: os.Getenv}
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" {
		e.ConfigHome = xdg.ConfigHome
	}
	return e, nil
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// join builds a path. A Windows path (e.GOOS "windows") that is not a path
// of the host, as when resolving Windows locations on another OS, is joined
// with backslashes.
func (e Env) join(elem ...string) string {
	if e.GOOS == "windows" && filepath.Separator != '\\' && !filepath.IsAbs(elem[0]) {
		out := elem[0]
		for _, s := range elem[1:] {
			if len(out) > 0 && out[len(out)-1] != '\\' && out[len(out)-1] != '/' {
				out += `\`
			}
			out += s
		}
		return out
	}
	return filepath.Join(elem...)
}

func (e Env) home(elem ...string) string { return e.join(append([]string{e.Home}, elem...)...) }

// xdgConfig is where Linux (and other Unix) programs keep settings.
func (e Env) xdgConfig(elem ...string) string {
	base := e.ConfigHome
	if base == "" {
		base = e.home(".config")
	}
	return e.join(append([]string{base}, elem...)...)
}

// appData is %APPDATA% (Windows roaming settings).
func (e Env) appData(elem ...string) string {
	base := e.getenv("APPDATA")
	if base == "" {
		base = e.home("AppData", "Roaming")
	}
	return e.join(append([]string{base}, elem...)...)
}

// localAppData is %LOCALAPPDATA%.
func (e Env) localAppData(elem ...string) string {
	base := e.getenv("LOCALAPPDATA")
	if base == "" {
		base = e.home("AppData", "Local")
	}
	return e.join(append([]string{base}, elem...)...)
}

// appConfig is the per-OS folder of desktop applications such as VS Code and
// Claude Desktop: Application Support, %APPDATA% or $XDG_CONFIG_HOME.
func (e Env) appConfig(elem ...string) string {
	switch e.GOOS {
	case "darwin":
		return e.home(append([]string{"Library", "Application Support"}, elem...)...)
	case "windows":
		return e.appData(elem...)
	}
	return e.xdgConfig(elem...)
}

// glob returns the matches of pattern, sorted; none on error.
func glob(pattern string) []string {
	m, _ := filepath.Glob(pattern)
	sort.Strings(m)
	return m
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
