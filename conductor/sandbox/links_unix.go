//go:build unix

package sandbox

import (
	"os"
	"syscall"
)

// hardLinks reports how many names a regular file has; 1 where unknown.
func hardLinks(path string) int {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return 1
	}
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Nlink)
	}
	return 1
}
