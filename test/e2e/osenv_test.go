package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// osEnv completes a test's environment for this system. The tests name a
// user's home as HOME and a Unix PATH; on Windows a program finds the home
// in USERPROFILE (and the clients' folders in APPDATA and LOCALAPPDATA), and
// programs in Windows' folders. So there, the last HOME also sets those,
// and a Unix PATH becomes Windows' own (plus the folder of Node.js, for
// upstream servers), and TMPDIR sets TMP and TEMP.
//
// On every system, the confinement mode the suite runs under
// (MCP_CONDUCTOR_CONFINEMENT: `make check-macos` and `make check-windows`
// set require) goes to every conductor whose test names none, so that a
// kernel layer that stops Deno fails the suite there instead of being
// dropped; a test's own mode (off, say) wins.
func osEnv(env []string) []string {
	env = withSuiteConfinement(env, os.Getenv(config.EnvConfinement))
	if runtime.GOOS != "windows" {
		return env
	}
	home := ""
	out := make([]string, 0, len(env)+4)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case strings.EqualFold(k, "HOME"):
			home = v
		case strings.EqualFold(k, "PATH") && strings.HasPrefix(v, "/"):
			kv = "PATH=" + windowsPath()
		case k == "TMPDIR": // Windows' programs (Go's os.TempDir, Deno) read TMP and TEMP
			out = append(out, "TMP="+v, "TEMP="+v)
		}
		out = append(out, kv)
	}
	if home != "" {
		out = append(out, "USERPROFILE="+home, "APPDATA="+filepath.Join(home, "AppData", "Roaming"),
			"LOCALAPPDATA="+filepath.Join(home, "AppData", "Local"))
	}
	return out
}

// withSuiteConfinement puts MCP_CONDUCTOR_CONFINEMENT=mode first in env,
// unless mode is "" or env names a mode of its own.
func withSuiteConfinement(env []string, mode string) []string {
	if mode == "" {
		return env
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, config.EnvConfinement+"=") {
			return env
		}
	}
	return append([]string{config.EnvConfinement + "=" + mode}, env...)
}

// windowsPath is Windows' program folders and, where the test's own PATH
// has it, the folder of node.exe.
func windowsPath() string {
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	dirs := []string{filepath.Join(root, "System32"), root}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "node.exe")); err == nil {
			dirs = append(dirs, d)
			break
		}
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

// q is s as a JavaScript string literal (JSON's, which JavaScript reads):
// a Windows path's backslashes escaped.
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestWithSuiteConfinement(t *testing.T) {
	for _, tt := range []struct {
		name, mode string
		env, want  []string
	}{
		{"none", "", []string{"HOME=/h"}, []string{"HOME=/h"}},
		{"the suite's", "require", []string{"HOME=/h"}, []string{"MCP_CONDUCTOR_CONFINEMENT=require", "HOME=/h"}},
		{"the test's wins", "require", []string{"HOME=/h", "MCP_CONDUCTOR_CONFINEMENT=off"}, []string{"HOME=/h", "MCP_CONDUCTOR_CONFINEMENT=off"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := withSuiteConfinement(tt.env, tt.mode); !slices.Equal(got, tt.want) {
				t.Errorf("withSuiteConfinement(%q, %q) = %q, want %q", tt.env, tt.mode, got, tt.want)
			}
		})
	}
}
