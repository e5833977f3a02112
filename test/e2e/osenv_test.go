package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// osEnv completes a test's environment for this system. The tests name a
// user's home as HOME and a Unix PATH; on Windows a program finds the home
// in USERPROFILE (and the clients' folders in APPDATA and LOCALAPPDATA), and
// programs in Windows' folders. So there, the last HOME also sets those,
// and a Unix PATH becomes Windows' own (plus the folder of Node.js, for
// upstream servers), and TMPDIR sets TMP and TEMP. Elsewhere env is
// returned as it is.
func osEnv(env []string) []string {
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
