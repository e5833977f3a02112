//go:build unix

package main

import (
	"os"
	"syscall"
)

// maxRSSKB is an ended process's peak resident memory in KiB (Linux's
// ru_maxrss unit).
func maxRSSKB(ps *os.ProcessState) int {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int(ru.Maxrss)
	}
	return 0
}
