package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
)

// TestRegisterEveryClient registers each client with the real binary in a
// fresh user's home: its file is written where that client keeps it on
// this system (on Windows under %APPDATA% or %USERPROFILE%, which the test
// points into the home), and the entry starts the launcher in the
// conductor's home.
func TestRegisterEveryClient(t *testing.T) {
	for _, c := range clients.All() {
		t.Run(c.ID, func(t *testing.T) {
			home := t.TempDir()
			force := "--force"
			if c.ID == "cline" {
				force = "--force=cli"
			}
			out, errs, code := cliRun(t, home, nil, "register", c.ID, force)
			if code != 0 {
				t.Fatalf("exit %d: %s%s", code, out, errs)
			}
			m := regexp.MustCompile(`(?m)(` + regexp.QuoteMeta(home) + `\S*)`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("the output names no file in the home %s:\n%s", home, out)
			}
			file := strings.TrimRight(m[1], ".:,)")
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("registered file %s: %v\n%s", file, err, out)
			}
			launcher := filepath.Join(home, ".mcp-conductor", "bin", "mcp-conductor")
			if runtime.GOOS == "windows" {
				launcher += ".exe"
				// Those that keep their settings in %APPDATA% on Windows; the
				// others in a folder of %USERPROFILE%.
				inAppData := map[string]bool{"claude-desktop": true, "vscode": true, "zed": true}[c.ID]
				if got := strings.HasPrefix(file, filepath.Join(home, "AppData", "Roaming")+`\`); got != inAppData {
					t.Errorf("%s: in %%APPDATA%% %v, want %v", file, got, inAppData)
				}
			}
			// JSON and TOML write a Windows path's backslashes escaped.
			if esc := strings.ReplaceAll(launcher, `\`, `\\`); !strings.Contains(string(b), esc) {
				t.Errorf("%s does not start the launcher %s:\n%s", file, launcher, b)
			}
			if _, err := os.Stat(launcher); err != nil {
				t.Errorf("no launcher: %v", err)
			}
		})
	}
}
