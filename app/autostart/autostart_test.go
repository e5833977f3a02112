//go:build !windows

// The XDG entry and the launch agent name Unix programs (/opt/...), which
// are not absolute paths on Windows; the Run key is tested in
// autostart_windows_test.go.

package autostart

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/adrg/xdg"
)

func TestQuoteExecArg(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/usr/bin/mcp-conductor", "/usr/bin/mcp-conductor"},
		{"/home/a b/mcp-conductor", `"/home/a b/mcp-conductor"`},
		{`/opt/$HOME/x`, `"/opt/\$HOME/x"`},
		{`C:\dir`, `"C:\\dir"`},
		{"100%", "100%%"},
		{"MCP_CONDUCTOR_START_HIDDEN=1", "MCP_CONDUCTOR_START_HIDDEN=1"},
		{"", `""`},
		{"it's", `"it's"`},
	}
	for _, tt := range tests {
		if got := quoteExecArg(tt.in); got != tt.want {
			t.Errorf("quoteExecArg(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDesktopEntryEnabled(t *testing.T) {
	tests := []struct {
		name, content string
		want          bool
	}{
		{"plain", "[Desktop Entry]\nType=Application\nExec=x\n", true},
		{"hidden", "[Desktop Entry]\nHidden=true\n", false},
		{"hidden false", "[Desktop Entry]\nHidden=false\n", true},
		{"gnome disabled", "[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n", false},
		{"gnome enabled", "[Desktop Entry]\nX-GNOME-Autostart-enabled=true\n", true},
		{"other group ignored", "[Desktop Entry]\nExec=x\n[Desktop Action y]\nHidden=true\n", true},
		{"spaces around =", "[Desktop Entry]\nHidden = true\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := desktopEntryEnabled(tt.content); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSetEnabledRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		format   Format
		file     string
		contains []string
	}{
		{"xdg", XDG, "autostart/mcp-conductor.desktop", []string{
			"[Desktop Entry]\n",
			"Type=Application\n",
			"Name=MCP Conductor\n",
			`Exec=env MCP_CONDUCTOR_START_HIDDEN=1 "/opt/my apps/mcp-conductor"` + "\n",
			"X-GNOME-Autostart-enabled=true\n",
		}},
		{"launch agent", LaunchAgent, "LaunchAgents/dev.mcp-conductor.plist", []string{
			"<key>Label</key>\n\t<string>mcp-conductor</string>",
			"<string>/opt/my apps/mcp-conductor</string>",
			"<key>MCP_CONDUCTOR_START_HIDDEN</key>\n\t\t<string>1</string>",
			"<key>RunAtLoad</key>\n\t<true/>",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			it := &Item{
				ID: "mcp-conductor", Name: "MCP Conductor", Comment: "test",
				Exec:   []string{"/opt/my apps/mcp-conductor"},
				Env:    map[string]string{"MCP_CONDUCTOR_START_HIDDEN": "1"},
				Format: tt.format, Path: path,
			}
			mustEnabled(t, it, false)
			if err := it.SetEnabled(false); err != nil {
				t.Fatalf("disabling an absent item: %v", err)
			}
			if err := it.SetEnabled(true); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, it, true)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.contains {
				if !strings.Contains(string(b), want) {
					t.Errorf("file lacks %q:\n%s", want, b)
				}
			}
			if err := it.SetEnabled(true); err != nil {
				t.Fatalf("enabling twice: %v", err)
			}
			if err := it.SetEnabled(false); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, it, false)
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("file still there after disabling: %v", err)
			}
		})
	}
}

func TestSetEnabledRejectsRelativeProgram(t *testing.T) {
	it := &Item{ID: "x", Exec: []string{"mcp-conductor"}, Format: XDG, Path: filepath.Join(t.TempDir(), "x.desktop")}
	if err := it.SetEnabled(true); err == nil {
		t.Fatal("SetEnabled accepted a relative program path")
	}
}

func TestUserDisabledEntryReadsAsDisabled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.desktop")
	if err := os.WriteFile(path, []byte("[Desktop Entry]\nExec=/x\nHidden=true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, &Item{Format: XDG, Path: path}, false)
}

func TestForPlatformUsesXDGConfigHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG autostart is the Linux location")
	}
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	it, err := ForPlatform("mcp-conductor", "MCP Conductor", "", []string{"/bin/true"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "autostart", "mcp-conductor.desktop"); it.Path != want || it.Format != XDG {
		t.Fatalf("got %q (format %d), want %q", it.Path, it.Format, want)
	}
}
