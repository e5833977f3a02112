package sandbox

import (
	"runtime"
	"strings"
)

// PythonPath is where a folder of this machine appears in Python's file
// system, which has Unix paths only (Pyodide's): at its own name on Unix
// systems; on Windows C:\Users\me\data is /c/Users/me/data (the drive
// letter as the first folder, lower case, as Git Bash and MSYS2 spell it).
// ok is false for a Windows path without a drive letter (UNC or device
// paths), which Python does not see.
func PythonPath(host string) (at string, ok bool) { return pythonPath(runtime.GOOS, host) }

// pythonPath is PythonPath for the system goos; the Windows spelling is
// handled by hand (not by path/filepath) so that it is tested everywhere.
func pythonPath(goos, host string) (string, bool) {
	if goos != "windows" {
		return host, true
	}
	if len(host) < 2 || host[1] != ':' || !isASCIILetter(host[0]) || (len(host) > 2 && host[2] != '\\' && host[2] != '/') {
		return "", false
	}
	rest := strings.Trim(strings.ReplaceAll(host[2:], `\`, "/"), "/")
	at := "/" + strings.ToLower(host[:1])
	if rest != "" {
		at += "/" + rest
	}
	return at, true
}

// pythonHost is how Pyodide's NODEFS is given a Windows folder: with
// forward slashes, which its own path joining (POSIX) keeps intact and
// Deno reads as the same path.
func pythonHost(goos, host string) string {
	if goos != "windows" {
		return host
	}
	return strings.ReplaceAll(host, `\`, "/")
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
