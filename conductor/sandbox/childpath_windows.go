package sandbox

import (
	"os"
	"path/filepath"
)

// systemRoot is the Windows folder (%SystemRoot%).
var systemRoot = func() string {
	if r := os.Getenv("SystemRoot"); r != "" {
		return r
	}
	return `C:\Windows`
}()

// childPath is the sandbox's search path for programs: Windows' own.
var childPath = []string{filepath.Join(systemRoot, "System32"), systemRoot, filepath.Join(systemRoot, "System32", "Wbem"),
	filepath.Join(systemRoot, "System32", "WindowsPowerShell", "v1.0")}

// platformVars: PATHEXT tells programs (Deno.Command included) which
// extensions a bare program name may have (SystemRoot is added by
// os/exec). DENO_DISABLE_NODE_SHIM keeps Deno from writing a node.exe shim
// into its DENO_DIR, which is the conductor's shared cache where Windows
// can make no private one (see runDir): code must not plant programs there.
var platformVars = []string{"PATHEXT=.COM;.EXE;.BAT;.CMD", "DENO_DISABLE_NODE_SHIM=1"}

// homeVar names the user's home folder, where Deno finds .npmrc: on
// Windows USERPROFILE (Deno does not read HOME there).
const homeVar = "USERPROFILE"
