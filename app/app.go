// Package app is MCP Conductor's desktop app: a Wails window and a tray icon
// in one process, one per user.
//
// App is the API the window calls (window.go.app.App.<Method> in the
// frontend). It works without the desktop toolkit, so it is unit-tested on
// any machine; Run, which needs Wails, GTK and WebKit, is built only with the
// "desktop" build tag.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/app/autostart"
	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
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
	Paths Paths
	// Services are the engine's providers; nil ones are "not available yet".
	Services services.Services
	// Autostart is the login item, nil where unsupported.
	Autostart *autostart.Item
	// OpenFolder shows a folder in the system file manager.
	OpenFolder func(path string) error
	// TrayVisible reports whether a tray host draws the icon.
	TrayVisible func(ctx context.Context) (bool, string)
	// Core is the engine behind the pages (settings, MCP servers, clients,
	// activity, playground); nil makes them "not available yet".
	Core *core.Core
	// Events carries backend events (executions, install progress) to the
	// window; nil drops them.
	Events *Events
	// PickFolder asks the user for a folder (the native dialog); "" means
	// cancelled. Nil where there is no window.
	PickFolder func(ctx context.Context, title, start string) (string, error)
	// Setup, if set, runs once Run knows this process is the only instance,
	// before the window opens: it plugs the engine in (Core, Services) and
	// returns what to do at exit.
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

	runs runs   // the Playground's runs in progress
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

// startup records the window's context; Wails calls it through OnStartup.
func (a *App) startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
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
func (a *App) Paths() Paths { return a.cfg.Paths }

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

// trayShown reports whether the tray icon runs and a panel shows it.
func (a *App) trayShown(ctx context.Context) bool {
	a.mu.Lock()
	on := a.trayOn
	a.mu.Unlock()
	if !on {
		return false
	}
	vis, _ := a.cfg.TrayVisible(ctx)
	return vis
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

// Endpoint reports the local MCP endpoint.
func (a *App) Endpoint() (services.EndpointStatus, error) {
	s := a.cfg.Services.Endpoint
	if s == nil {
		return services.EndpointStatus{}, fmt.Errorf("local endpoint: %w", services.ErrNotAvailable)
	}
	st, err := s.EndpointStatus(a.context())
	if err != nil {
		return st, fmt.Errorf("local endpoint: %w", err)
	}
	return st, nil
}

// Runtime reports the Deno runtime.
func (a *App) Runtime() (services.RuntimeStatus, error) {
	s := a.cfg.Services.Runtime
	if s == nil {
		return services.RuntimeStatus{}, fmt.Errorf("Deno runtime: %w", services.ErrNotAvailable)
	}
	st, err := s.RuntimeStatus(a.context())
	if err != nil {
		return st, fmt.Errorf("Deno runtime: %w", err)
	}
	return st, nil
}

// Clients lists the AI clients and whether MCP Conductor is set up in each.
func (a *App) Clients() ([]services.ClientStatus, error) {
	s := a.cfg.Services.Clients
	if s == nil {
		return nil, fmt.Errorf("clients: %w", services.ErrNotAvailable)
	}
	cs, err := s.ListClients(a.context())
	if err != nil {
		return nil, fmt.Errorf("clients: %w", err)
	}
	if cs == nil {
		cs = []services.ClientStatus{} // JSON [] rather than null
	}
	return cs, nil
}

// trayState gathers what the tray shows from the services.
func (a *App) trayState(ctx context.Context) tray.State {
	var st tray.State
	ctx, cancel := context.WithTimeout(ctx, stateTimeout)
	defer cancel()

	var rt *services.RuntimeStatus
	var rtErr, epErr error
	if s := a.cfg.Services.Runtime; s != nil {
		r, err := s.RuntimeStatus(ctx)
		rt, rtErr = &r, err
	}
	if s := a.cfg.Services.Endpoint; s != nil {
		e, err := s.EndpointStatus(ctx)
		epErr = err
		if err == nil {
			st.Endpoint = &e
		} else {
			st.Endpoint = &services.EndpointStatus{Detail: "status unknown"}
		}
	}
	switch {
	case rtErr != nil:
		st.Health, st.Detail = tray.HealthError, rtErr.Error()
	case epErr != nil:
		st.Health, st.Detail = tray.HealthError, epErr.Error()
	case rt != nil && !rt.Found:
		st.Health, st.Detail = tray.HealthDenoMissing, rt.Detail
	case st.Endpoint != nil && !st.Endpoint.Running:
		st.Health, st.Detail = tray.HealthError, "the local endpoint is stopped"
	case rt != nil || st.Endpoint != nil:
		st.Health = tray.HealthReady
	}

	if s := a.cfg.Services.Clients; s != nil {
		st.ClientsAvailable = true
		cs, err := s.ListClients(ctx)
		if err != nil {
			st.ClientsErr = err.Error()
		}
		st.Clients = cs
	}

	if as, err := a.Autostart(); err == nil || errors.Is(err, autostart.ErrUnsupported) {
		st.AutostartSupported, st.Autostart = as.Supported, as.Enabled
	}
	return st
}
