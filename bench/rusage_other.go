//go:build !unix

package main

import "os"

// maxRSSKB is unknown here: the benchmark reads memory on Linux only.
func maxRSSKB(*os.ProcessState) int { return 0 }
