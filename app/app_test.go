package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/autostart"
	"github.com/mcp-conductor/mcp-conductor/app/services"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

type fakeEndpoint struct {
	st  services.EndpointStatus
	err error
}

func (f fakeEndpoint) EndpointStatus(context.Context) (services.EndpointStatus, error) {
	return f.st, f.err
}

type fakeRuntime struct {
	st  services.RuntimeStatus
	err error
}

func (f fakeRuntime) RuntimeStatus(context.Context) (services.RuntimeStatus, error) {
	return f.st, f.err
}

type fakeClients struct {
	cs  []services.ClientStatus
	err error
}

func (f fakeClients) ListClients(context.Context) ([]services.ClientStatus, error) {
	return f.cs, f.err
}

func testPaths(t *testing.T) Paths {
	home := t.TempDir()
	return Paths{Home: home, Workspace: filepath.Join(home, "workspace"), Logs: filepath.Join(home, "logs")}
}

func TestVersionAndPaths(t *testing.T) {
	p := testPaths(t)
	a := New(Config{Version: "1.2.3", Paths: p})
	if got := a.Version(); got != "1.2.3" {
		t.Errorf("Version() = %q", got)
	}
	if got := a.Paths(); got != p {
		t.Errorf("Paths() = %+v, want %+v", got, p)
	}
}

func TestOpenFolders(t *testing.T) {
	tests := []struct {
		name    string
		call    func(*App) error
		folder  func(Paths) string
		openErr error
		wantErr string
	}{
		{"workspace", (*App).OpenWorkspaceFolder, func(p Paths) string { return p.Workspace }, nil, ""},
		{"logs", (*App).OpenLogsFolder, func(p Paths) string { return p.Logs }, nil, ""},
		{"opener fails", (*App).OpenLogsFolder, func(p Paths) string { return p.Logs },
			errors.New("xdg-open is not installed"), "no file manager opened the logs folder (xdg-open is not installed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			var opened []string
			a := New(Config{Paths: p, OpenFolder: func(dir string) error {
				opened = append(opened, dir)
				return tt.openErr
			}})
			err := tt.call(a)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if !errors.Is(err, tt.openErr) {
					t.Errorf("error does not wrap the opener's")
				}
			} else if err != nil {
				t.Fatal(err)
			}
			want := tt.folder(p)
			if !reflect.DeepEqual(opened, []string{want}) {
				t.Errorf("opened %q, want %q", opened, want)
			}
			if fi, err := os.Stat(want); err != nil || !fi.IsDir() {
				t.Errorf("folder not created: %v", err)
			}
		})
	}
}

func TestOpenUnknownFolder(t *testing.T) {
	a := New(Config{OpenFolder: func(string) error { t.Fatal("opener called"); return nil }})
	if err := a.OpenWorkspaceFolder(); err == nil {
		t.Fatal("no error for an unknown folder")
	}
}

func TestAutostart(t *testing.T) {
	tests := []struct {
		name      string
		supported bool
		set       []bool
		want      AutostartStatus
		wantErr   error
	}{
		{"unsupported", false, nil, AutostartStatus{}, nil},
		{"unsupported set", false, []bool{true}, AutostartStatus{}, autostart.ErrUnsupported},
		{"off by default", true, nil, AutostartStatus{Supported: true}, nil},
		{"on", true, []bool{true}, AutostartStatus{Supported: true, Enabled: true}, nil},
		{"on then off", true, []bool{true, false}, AutostartStatus{Supported: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{}
			var path string
			if tt.supported {
				path = filepath.Join(t.TempDir(), "autostart", "mcp-conductor.desktop")
				cfg.Autostart = &autostart.Item{ID: ID, Name: Title, Exec: []string{"/usr/bin/mcp-conductor"},
					Format: autostart.XDG, Path: path}
				tt.want.Path = path
			}
			a := New(cfg)
			var err error
			var st AutostartStatus
			for _, on := range tt.set {
				st, err = a.SetAutostart(on)
				if tt.wantErr == nil && err != nil {
					t.Fatal(err)
				}
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if len(tt.set) > 0 && st != tt.want {
				t.Errorf("SetAutostart returned %+v, want %+v", st, tt.want)
			}
			got, err := a.Autostart()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Autostart() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTrayStatus(t *testing.T) {
	tests := []struct {
		name    string
		running bool
		err     error
		visible bool
		detail  string
		want    TrayStatus
	}{
		{"not started", false, nil, false, "", TrayStatus{Detail: "The tray icon is not running."}},
		{"no bus", false, fmt.Errorf("%w: dial unix", tray.ErrNoTrayHost), false, "",
			TrayStatus{Detail: "This session has no tray (no D-Bus session bus). Closing this window quits MCP Conductor."}},
		{"other failure", false, errors.New("boom"), false, "", TrayStatus{Detail: "The tray icon could not start: boom"}},
		{"running, no host", true, nil, false, "no watcher", TrayStatus{Running: true, Detail: "no watcher"}},
		{"running and visible", true, nil, true, "", TrayStatus{Running: true, Visible: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Config{TrayVisible: func(context.Context) (bool, string) { return tt.visible, tt.detail }})
			a.setTray(tt.running, tt.err)
			if got := a.TrayStatus(); got != tt.want {
				t.Errorf("TrayStatus() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestServiceBindings(t *testing.T) {
	ep := services.EndpointStatus{URL: "http://127.0.0.1:7465/mcp", Running: true}
	rt := services.RuntimeStatus{Found: true, Path: "/usr/bin/deno", Version: "2.9.6"}
	cs := []services.ClientStatus{{ID: "cursor", Name: "Cursor", Installed: true}}
	boom := errors.New("boom")
	tests := []struct {
		name    string
		svc     services.Services
		call    func(*App) (any, error)
		want    any
		wantErr error
	}{
		{"endpoint missing", services.Services{}, func(a *App) (any, error) { return a.Endpoint() },
			services.EndpointStatus{}, services.ErrNotAvailable},
		{"endpoint", services.Services{Endpoint: fakeEndpoint{st: ep}}, func(a *App) (any, error) { return a.Endpoint() },
			ep, nil},
		{"endpoint fails", services.Services{Endpoint: fakeEndpoint{err: boom}}, func(a *App) (any, error) { return a.Endpoint() },
			services.EndpointStatus{}, boom},
		{"runtime missing", services.Services{}, func(a *App) (any, error) { return a.Runtime() },
			services.RuntimeStatus{}, services.ErrNotAvailable},
		{"runtime", services.Services{Runtime: fakeRuntime{st: rt}}, func(a *App) (any, error) { return a.Runtime() },
			rt, nil},
		{"runtime fails", services.Services{Runtime: fakeRuntime{err: boom}}, func(a *App) (any, error) { return a.Runtime() },
			services.RuntimeStatus{}, boom},
		{"clients missing", services.Services{}, func(a *App) (any, error) { return a.Clients() },
			[]services.ClientStatus(nil), services.ErrNotAvailable},
		{"clients", services.Services{Clients: fakeClients{cs: cs}}, func(a *App) (any, error) { return a.Clients() },
			cs, nil},
		{"no clients is an empty list", services.Services{Clients: fakeClients{}}, func(a *App) (any, error) { return a.Clients() },
			[]services.ClientStatus{}, nil},
		{"clients fail", services.Services{Clients: fakeClients{err: boom}}, func(a *App) (any, error) { return a.Clients() },
			[]services.ClientStatus(nil), boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call(New(Config{Services: tt.svc}))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == services.ErrNotAvailable && !strings.Contains(err.Error(), "not available yet") {
				t.Errorf("the frontend looks for \"not available yet\" in %q", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestTrayState(t *testing.T) {
	running := services.EndpointStatus{URL: "http://127.0.0.1:7465/mcp", Running: true}
	tests := []struct {
		name       string
		svc        services.Services
		health     tray.Health
		detail     string
		endpoint   *services.EndpointStatus
		clientsOK  bool
		clientsErr string
	}{
		{name: "nothing plugged in", health: tray.HealthUnknown},
		{name: "ready",
			svc: services.Services{
				Runtime:  fakeRuntime{st: services.RuntimeStatus{Found: true}},
				Endpoint: fakeEndpoint{st: running},
				Clients:  fakeClients{cs: []services.ClientStatus{{ID: "cursor"}}},
			},
			health: tray.HealthReady, endpoint: &running, clientsOK: true},
		{name: "deno missing wins over a stopped endpoint",
			svc: services.Services{
				Runtime:  fakeRuntime{st: services.RuntimeStatus{Detail: "install Deno"}},
				Endpoint: fakeEndpoint{st: services.EndpointStatus{}},
			},
			health: tray.HealthDenoMissing, detail: "install Deno", endpoint: &services.EndpointStatus{}},
		{name: "runtime error",
			svc:    services.Services{Runtime: fakeRuntime{err: errors.New("deno crashed")}},
			health: tray.HealthError, detail: "deno crashed"},
		{name: "endpoint error",
			svc:    services.Services{Endpoint: fakeEndpoint{err: errors.New("port in use")}},
			health: tray.HealthError, detail: "port in use", endpoint: &services.EndpointStatus{Detail: "status unknown"}},
		{name: "endpoint stopped",
			svc:    services.Services{Endpoint: fakeEndpoint{st: services.EndpointStatus{Detail: "off"}}},
			health: tray.HealthError, detail: "the local endpoint is stopped", endpoint: &services.EndpointStatus{Detail: "off"}},
		{name: "clients fail",
			svc:    services.Services{Clients: fakeClients{err: errors.New("unreadable")}},
			health: tray.HealthUnknown, clientsOK: true, clientsErr: "unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := New(Config{Services: tt.svc}).trayState(context.Background())
			if st.Health != tt.health || st.Detail != tt.detail {
				t.Errorf("health %v %q, want %v %q", st.Health, st.Detail, tt.health, tt.detail)
			}
			if !reflect.DeepEqual(st.Endpoint, tt.endpoint) {
				t.Errorf("endpoint %+v, want %+v", st.Endpoint, tt.endpoint)
			}
			if st.ClientsAvailable != tt.clientsOK || st.ClientsErr != tt.clientsErr {
				t.Errorf("clients available=%v err=%q, want %v %q", st.ClientsAvailable, st.ClientsErr, tt.clientsOK, tt.clientsErr)
			}
			if st.AutostartSupported {
				t.Error("autostart supported without a login item")
			}
		})
	}
}

func TestPathsFromPolicy(t *testing.T) {
	home := t.TempDir()
	t.Setenv(config.EnvHome, home)
	tests := []struct {
		name string
		load func() (config.Policy, error)
		want Paths
	}{
		{"policy", func() (config.Policy, error) {
			return config.Policy{Home: "/h", Workspace: "/w"}, nil
		}, Paths{Home: "/h", Workspace: "/w", Logs: filepath.Join("/h", "logs")}},
		{"invalid policy falls back to the home folder", func() (config.Policy, error) {
			return config.Policy{}, errors.New("bad MCP_CONDUCTOR_RUN_ARGS")
		}, Paths{Home: home, Workspace: filepath.Join(home, "workspace"), Logs: filepath.Join(home, "logs")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pathsFrom(tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv(config.EnvHome, home)
	cfg, err := DefaultConfig("9.9.9")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != "9.9.9" || cfg.Paths.Home != home {
		t.Errorf("cfg = %+v", cfg)
	}
	if cfg.Autostart != nil {
		if !filepath.IsAbs(cfg.Autostart.Exec[0]) || cfg.Autostart.Env[EnvStartHidden] != "1" {
			t.Errorf("login item %+v", cfg.Autostart)
		}
	}
}

// TestOpenFolderSaysWhenNothingOpens: the real opener's failure (missing,
// or finding no file manager) is an error the window shows.
func TestOpenFolderSaysWhenNothingOpens(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	if err := OpenFolder(dir); err == nil || err.Error() != "xdg-open is not installed" {
		t.Errorf("without xdg-open: %v", err)
	}
	script := "#!/bin/sh\nexit 3\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := OpenFolder(dir); err == nil || !strings.Contains(err.Error(), "found no file manager (exit status 3)") {
		t.Errorf("failing xdg-open: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := OpenFolder(dir); err != nil {
		t.Errorf("working xdg-open: %v", err)
	}
}

func TestQuitFromTheWindow(t *testing.T) {
	a := New(Config{})
	if err := a.Quit(); err == nil {
		t.Error("Quit without a window did not say so")
	}
	quit := 0
	a.quit = func() { quit++ }
	if err := a.Quit(); err != nil || quit != 1 {
		t.Errorf("Quit: %v, %d calls", err, quit)
	}
}
