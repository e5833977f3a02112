package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// TestMain lets the test binary stand in for a Deno that crashes while it
// boots (a Go program, so the same test runs on Windows: no shell script).
func TestMain(m *testing.M) {
	switch os.Getenv("SANDBOX_TEST_ROLE") {
	case "parent": // start a child, say its pid (or why not), wait
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), "SANDBOX_TEST_ROLE=sleeper")
		if err := child.Start(); err != nil {
			fmt.Println("no child:", err)
		} else {
			fmt.Println("child", child.Process.Pid)
		}
		time.Sleep(time.Minute)
		os.Exit(0)
	case "sleeper":
		time.Sleep(time.Minute)
		os.Exit(0)
	case "reader": // read each file named, one line each: what it holds, or why not
		for _, f := range filepath.SplitList(os.Getenv("SANDBOX_TEST_READ")) {
			if b, err := os.ReadFile(f); err != nil {
				fmt.Println("denied", err)
			} else {
				fmt.Println("read", string(b))
			}
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "run" {
		fmt.Fprintln(os.Stderr, "\n#\n# Fatal process out of memory: SegmentedTable::InitializeTable (subspace allocation)\n#")
		os.Exit(133)
	}
	os.Exit(m.Run())
}

// TestCrashBeforeBootIsNotALimit: a Deno that dies before its bootstrap is
// ready ran none of the code, whatever it printed (V8 says "out of memory"
// when it cannot reserve address space), so it is the host's error (type
// internal for the client), not a "limit" the code hit.
func TestCrashBeforeBootIsNotALimit(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{config.EnvHome: home, "MCP_CONDUCTOR_POOL_SIZE": "0", config.EnvConfinement: "off"}[k]
	}
	p, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(context.Background(), p, Options{Deno: os.Args[0], Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := r.Run(ctx, Job{Code: "1+1"})
	if err == nil {
		t.Fatalf("a Deno that crashed while booting gave a result: %+v", res.Error)
	}
	if msg := err.Error(); !strings.Contains(msg, "exited before it could run the code") || !strings.Contains(msg, "133") || !strings.Contains(msg, filepath.Base(os.Args[0])) {
		t.Errorf("error %q: want what happened, the exit status and the binary", msg)
	}
}

func TestExceptionNames(t *testing.T) {
	for code, want := range map[int]string{
		1: "", 134: "", -1: "",
		int(uint32(0xC0000005)): "exception 0xC0000005: access violation",
		int(uint32(0xC0000123)): "exception 0xC0000123",
	} {
		if got := exceptionName(code); got != want {
			t.Errorf("exceptionName(%#x) = %q, want %q", code, got, want)
		}
	}
	if !isOutOfMemory("memory allocation of 1073741824 bytes failed\n") || isOutOfMemory("allocation of a new page") {
		t.Error("Rust's allocation failure not recognised, or something else taken for it")
	}
}
