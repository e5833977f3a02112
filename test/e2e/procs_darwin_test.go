package e2e

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// proc is a running process as the tests see it.
type proc struct {
	pid          int
	exe, cmdline string // argv[0]; the whole command line, arguments separated by space
}

// ps runs ps(1) with the given columns for every process and returns its
// lines, split into fields (the last column keeps its spaces).
func ps(t *testing.T, columns string, n int) [][]string {
	t.Helper()
	out, err := exec.Command("ps", "-A", "-o", columns).Output()
	if err != nil {
		t.Fatalf("ps: %v", err)
	}
	var rows [][]string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= n {
			rows = append(rows, append(f[:n-1:n-1], strings.Join(f[n-1:], " ")))
		}
	}
	return rows
}

// childProcesses lists the children of ppid, from ps(1) (macOS has no /proc).
func childProcesses(t *testing.T, ppid int) []proc {
	var out []proc
	for _, f := range ps(t, "pid=,ppid=,args=", 3) {
		pid, err := strconv.Atoi(f[0])
		if err != nil || f[1] != strconv.Itoa(ppid) {
			continue
		}
		argv0, _, _ := strings.Cut(f[2], " ")
		out = append(out, proc{pid: pid, exe: argv0, cmdline: f[2]})
	}
	return out
}

// peakRSSKB is a process's resident memory in KiB. macOS reports no peak
// for another process through ps(1), so this is the current size: a lower
// bound of the peak, which is what the flood test compares.
func peakRSSKB(t *testing.T, pid int) int {
	t.Helper()
	out, err := exec.Command("ps", "-o", "rss=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		t.Fatalf("ps: %v", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("ps rss: %q", out)
	}
	return n
}

// processGone reports whether pid has exited (or is a zombie).
func processGone(pid int) bool {
	out, err := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(pid)).Output()
	return err != nil || strings.HasPrefix(strings.TrimSpace(string(out)), "Z")
}

// aProgram is a program every system of this kind has, for tests that try
// to start one.
const aProgram = "id"
