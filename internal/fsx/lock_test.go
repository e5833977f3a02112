package fsx

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestMain lets the test binary be the other process that holds a lock.
func TestMain(m *testing.M) {
	if path := os.Getenv("FSX_HOLD_LOCK"); path != "" {
		if _, err := Lock(context.Background(), path); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Hour) // until killed
	}
	os.Exit(m.Run())
}

func TestLockBetweenProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locks", "x.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FSX_HOLD_LOCK="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("the other process did not take the lock: %q %v", buf, err)
	}
	// Held elsewhere: waiting ends with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, path); !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock while held elsewhere: %v", err)
	}
	// The holder dies without unlocking: the kernel releases the lock.
	cmd.Process.Kill()
	cmd.Wait()
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	unlock, err := Lock(ctx, path)
	if err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	unlock()
}
