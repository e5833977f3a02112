// Package app is MCP Conductor's desktop app: a Wails window and a tray icon
// in one process, one per user.
//
// App is the API the window calls (window.go.app.App.<Method> in the
// frontend). Its bindings are thin: each asks the one backend (package
// app/backend, the conductor inside the app) and passes on its answer, a
// JSON view the frontend's api.ts declares, adding only what the window
// itself owns (events, the tray, the folder dialog, start on login). App
// works without the desktop toolkit, so it is unit-tested on any machine;
// Run, which needs Wails, GTK and WebKit, is built only with the "desktop"
// build tag, and the program links this package only then.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/app/autostart"
	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
)

// ErrNotAvailable is returned (wrapped) by a binding that needs the backend
// before it is plugged in. Its text is what the frontend recognises, so
// keep it stable.
var ErrNotAvailable = errors.New("not available yet")

// AutostartStatus says whether the app starts when the user logs in.
type AutostartStatus struct {
	// Supported is false where this system has no login items we can manage.
	Supported bool `json:"supported"`
	// Enabled reports whether the app starts on login.
	Enabled bool `json:"enabled"`
	// Path is the login item's file, e.g. ~/.config/autostart/mcp-conductor.desktop.
	Path string `json:"path"`
}

// TrayStatus says whether the tray icon exists and can be seen.
type TrayStatus struct {
	// Running reports whether the tray icon was registered.
	Running bool `json:"running"`
	// Visible reports whether a tray host draws it (see tray.Visible).
	Visible bool `json:"visible"`
	// Detail explains why the icon is not running or not visible.
	Detail string `json:"detail"`
}

// Config is everything App needs. Fields left zero get working defaults
// from DefaultConfig.
type Config struct {
	// Version is the app's version string.
	Version string
	// Paths are the folders the app uses.
	Paths backend.Paths
	// Autostart is the login item, nil where unsupported.
	Autostart *autostart.Item
	// StartHidden starts with the window hidden, where a panel shows the
	// tray icon (as does EnvStartHidden=1).
	StartHidden bool
	// OpenFolder shows a folder in the system file manager.
	OpenFolder func(path string) error
	// TrayVisible reports whether a tray host draws the icon.
	TrayVisible func(ctx context.Context) (bool, string)
	// Backend is the conductor behind every page and the tray; nil makes
	// them "not available yet".
	Backend *backend.Backend
	// Events carries backend events (executions, install progress) to the
	// window; nil drops them.
	Events *Events
	// PickFolder asks the user for a folder (the native dialog); "" means
	// cancelled. Nil where there is no window.
	PickFolder func(ctx context.Context, title, start string) (string, error)
	// Setup, if set, runs once Run knows this process is the only instance,
	// before the window opens: it plugs the engine in (Backend) and returns
	// what to do at exit.
	Setup func(ctx context.Context, cfg *Config) (stop func())
}

// App is bound to the window: each exported method is callable from the
// frontend and returns JSON-friendly values. Errors reach the frontend as
// rejected promises carrying err.Error().
type App struct {
	cfg Config

	mu      sync.Mutex
	ctx     context.Context // the window's lifetime; set by startup
	trayErr error           // why the tray is not running, if it is not
	trayOn  bool

	quit func() // ends the app (set by Run)
}

// New returns an App for cfg.
func New(cfg Config) *App {
	if cfg.OpenFolder == nil {
		cfg.OpenFolder = OpenFolder
	}
	if cfg.TrayVisible == nil {
		cfg.TrayVisible = tray.Visible
	}
	if cfg.Events == nil {
		cfg.Events = &Events{}
	}
	return &App{cfg: cfg, ctx: context.Background()}
}

// setTray records whether the tray icon started.
func (a *App) setTray(running bool, err error) {
	a.mu.Lock()
	a.trayOn, a.trayErr = running, err
	a.mu.Unlock()
}

func (a *App) context() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ctx
}

// Quit ends the app, as the tray's Quit does: the window has its own for
// desktops that show no tray icon.
func (a *App) Quit() error {
	if a.quit == nil {
		return notAvailable("quitting from the window")
	}
	a.quit()
	return nil
}

// Version returns the app's version.
func (a *App) Version() string { return a.cfg.Version }

// Paths returns the folders the app uses.
func (a *App) Paths() backend.Paths { return a.cfg.Paths }

// UserHome is the user's home folder, which the window shows as "~" in
// paths; "" when it is unknown.
func (a *App) UserHome() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return h
}

// OpenWorkspaceFolder creates the workspace folder if needed and shows it in
// the file manager; the error says when none opened it.
func (a *App) OpenWorkspaceFolder() error {
	return a.openFolder("workspace", a.cfg.Paths.Workspace)
}

// OpenLogsFolder creates the logs folder if needed and shows it in the file
// manager.
func (a *App) OpenLogsFolder() error {
	return a.openFolder("logs", a.cfg.Paths.Logs)
}

func (a *App) openFolder(what, dir string) error {
	if dir == "" {
		return fmt.Errorf("the %s folder is unknown", what)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the %s folder: %w", what, err)
	}
	if err := a.cfg.OpenFolder(dir); err != nil {
		return fmt.Errorf("no file manager opened the %s folder (%w)", what, err)
	}
	return nil
}

// Autostart reports whether the app starts on login.
func (a *App) Autostart() (AutostartStatus, error) {
	it := a.cfg.Autostart
	if it == nil {
		return AutostartStatus{}, nil
	}
	on, err := it.Enabled()
	if err != nil {
		return AutostartStatus{Supported: true, Path: it.Path}, fmt.Errorf("start on login: %w", err)
	}
	return AutostartStatus{Supported: true, Enabled: on, Path: it.Path}, nil
}

// SetAutostart turns start-on-login on or off and returns the new status.
func (a *App) SetAutostart(on bool) (AutostartStatus, error) {
	it := a.cfg.Autostart
	if it == nil {
		return AutostartStatus{}, fmt.Errorf("start on login: %w", autostart.ErrUnsupported)
	}
	if err := it.SetEnabled(on); err != nil {
		return AutostartStatus{Supported: true, Path: it.Path}, fmt.Errorf("start on login: %w", err)
	}
	return a.Autostart()
}

// TrayStatus reports whether the tray icon runs and can be seen.
func (a *App) TrayStatus() TrayStatus {
	a.mu.Lock()
	on, terr := a.trayOn, a.trayErr
	a.mu.Unlock()
	if !on {
		d := "The tray icon is not running."
		if errors.Is(terr, tray.ErrNoTrayHost) {
			d = "This session has no tray (no D-Bus session bus). Closing this window quits MCP Conductor."
		} else if terr != nil {
			d = "The tray icon could not start: " + terr.Error()
		}
		return TrayStatus{Detail: d}
	}
	vis, detail := a.cfg.TrayVisible(a.context())
	return TrayStatus{Running: true, Visible: vis, Detail: detail}
}

// backendOrErr returns the backend, or an error wrapping ErrNotAvailable
// that names what needed it.
func (a *App) backendOrErr(what string) (*backend.Backend, error) {
	if a.cfg.Backend == nil {
		return nil, notAvailable(what)
	}
	return a.cfg.Backend, nil
}

func notAvailable(what string) error {
	return fmt.Errorf("%s: %w", what, ErrNotAvailable)
}
