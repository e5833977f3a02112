//go:build !windows

package sandbox

// childPath is the sandbox's search path for programs.
var childPath = []string{"/usr/local/bin", "/usr/bin", "/bin"}

// platformVars are variables programs need on this system besides PATH.
var platformVars []string

// homeVar names the user's home folder, where Deno finds .npmrc.
const homeVar = "HOME"
