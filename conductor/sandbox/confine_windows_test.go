package sandbox

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

// TestWindowsJobAsAsked: the job Windows made has the limits of the plan
// (kill on close, no crash dialog, one process, the memory cap).
func TestWindowsJobAsAsked(t *testing.T) {
	want := windowsJob(LaunchSpec{DataLimit: 1536 << 20})
	job, err := newJob(want)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(job)
	got, err := queryJobLimits(job)
	if err != nil {
		t.Fatal(err)
	}
	asked := jobLimits(want)
	if got.BasicLimitInformation.LimitFlags != asked.BasicLimitInformation.LimitFlags ||
		got.BasicLimitInformation.ActiveProcessLimit != 1 || got.JobMemoryLimit != 1536<<20 {
		t.Errorf("job limits: flags %#x (want %#x), processes %d, memory %d", got.BasicLimitInformation.LimitFlags,
			asked.BasicLimitInformation.LimitFlags, got.BasicLimitInformation.ActiveProcessLimit, got.JobMemoryLimit)
	}
}

// TestWindowsTokenIsLowIntegrity: the confined process's token is at low
// integrity.
func TestWindowsTokenIsLowIntegrity(t *testing.T) {
	tok, err := restrictedToken(windowsToken(LaunchSpec{}))
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	if got, err := tokenIntegrity(tok); err != nil || got != "S-1-16-4096" {
		t.Fatalf("integrity %q, %v; want S-1-16-4096 (low)", got, err)
	}
}

// startTree starts the test binary in a job (as the sandbox is started),
// acting as a process that starts a child; it returns what it said.
func startTree(t *testing.T, spec LaunchSpec) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SANDBOX_TEST_ROLE=parent")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := startConfined(cmd, spec); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { signalGroup(cmd, true); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	return cmd, strings.TrimSpace(line)
}

// TestWindowsJobEndsTheWholeTree: ending the job ends the process and the
// child it started (as allow-run lets code do).
func TestWindowsJobEndsTheWholeTree(t *testing.T) {
	cmd, said := startTree(t, LaunchSpec{Run: true})
	pid, err := strconv.Atoi(strings.TrimPrefix(said, "child "))
	if err != nil {
		t.Fatalf("the process said %q", said)
	}
	if !processAlive(pid) {
		t.Fatalf("child %d is not running", pid)
	}
	signalGroup(cmd, true)
	cmd.Wait()
	for deadline := time.Now().Add(10 * time.Second); processAlive(pid); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d outlived its job", pid)
		}
	}
}

// TestWindowsJobAllowsOneProcess: without allow-run, the job holds Deno
// alone: the process cannot start another.
func TestWindowsJobAllowsOneProcess(t *testing.T) {
	if _, said := startTree(t, LaunchSpec{}); !strings.HasPrefix(said, "no child") {
		t.Fatalf("a process in a one-process job started a child: %q", said)
	}
}
