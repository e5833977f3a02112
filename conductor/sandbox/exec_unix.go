//go:build unix

package sandbox

import (
	"os"
	"syscall"
)

// execProgram replaces the launcher with the program.
func execProgram(path string, argv []string) error {
	return syscall.Exec(path, argv, os.Environ())
}
