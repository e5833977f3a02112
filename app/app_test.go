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
	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func testPaths(t *testing.T) backend.Paths {
	home := t.TempDir()
	return backend.Paths{Home: home, Workspace: filepath.Join(home, "workspace"), Logs: filepath.Join(home, "logs")}
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
		folder  func(backend.Paths) string
		openErr error
		wantErr string
	}{
		{"workspace", (*App).OpenWorkspaceFolder, func(p backend.Paths) string { return p.Workspace }, nil, ""},
		{"logs", (*App).OpenLogsFolder, func(p backend.Paths) string { return p.Logs }, nil, ""},
		{"opener fails", (*App).OpenLogsFolder, func(p backend.Paths) string { return p.Logs },
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

// TestTrayHealth: the tray's badge follows the backend's runtime and
// endpoint reports, a missing Deno first; without a backend nothing is
// known yet.
func TestTrayHealth(t *testing.T) {
	running := backend.EndpointStatus{URL: "http://127.0.0.1:7465/mcp", Running: true}
	tests := []struct {
		name   string
		rt     backend.RuntimeStatus
		ep     backend.EndpointStatus
		health tray.Health
		detail string
	}{
		{"ready", backend.RuntimeStatus{Found: true}, running, tray.HealthReady, ""},
		{"deno missing wins over a stopped endpoint", backend.RuntimeStatus{Detail: "install Deno"}, backend.EndpointStatus{},
			tray.HealthDenoMissing, "install Deno"},
		{"endpoint stopped", backend.RuntimeStatus{Found: true}, backend.EndpointStatus{Detail: "off"},
			tray.HealthError, "the local endpoint is stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, d := health(tt.rt, tt.ep); h != tt.health || d != tt.detail {
				t.Errorf("health %v %q, want %v %q", h, d, tt.health, tt.detail)
			}
		})
	}
	st := New(Config{}).trayState(context.Background())
	if st.Health != tray.HealthUnknown || st.Endpoint != nil || st.ClientsAvailable || st.AutostartSupported {
		t.Errorf("without a backend: %+v", st)
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
