package e2e

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// proc is a running process as the tests see it.
type proc struct {
	pid          int
	exe, cmdline string // argv[0]; the whole command line, arguments separated by NUL or space
}

// childProcesses lists the children of ppid, from /proc.
func childProcesses(t *testing.T, ppid int) []proc {
	var out []proc
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, _ := os.ReadFile("/proc/" + e.Name() + "/stat")
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) < 2 || f[1] != strconv.Itoa(ppid) {
			continue
		}
		b, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		argv0, _, _ := strings.Cut(string(b), "\x00")
		out = append(out, proc{pid: pid, exe: argv0, cmdline: string(b)})
	}
	return out
}

// peakRSSKB is a process's peak resident memory in KiB (VmHWM).
func peakRSSKB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "VmHWM:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// processGone reports whether pid has exited (or is a zombie).
func processGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || strings.Contains(string(b), ") Z ")
}

// aProgram is a program every system of this kind has, for tests that try
// to start one.
const aProgram = "id"
