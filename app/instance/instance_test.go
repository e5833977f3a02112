package instance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func shortDir(t *testing.T) string {
	t.Helper()
	// unix socket paths are limited to ~100 bytes; t.TempDir can be long.
	dir, err := os.MkdirTemp("", "inst")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestSecondAcquireFails(t *testing.T) {
	dir := shortDir(t)
	p, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second Acquire: got %v, want ErrAlreadyRunning", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	p2, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Close: %v", err)
	}
	p2.Close()
}

func TestSendCommands(t *testing.T) {
	tests := []struct {
		name    string
		cmd     string
		handler error
		wantErr string
	}{
		{"show", CmdShow, nil, ""},
		{"handler refuses", "frobnicate", errors.New("unknown command"), `answered "error unknown command"`},
		{"newline rejected", "show\nquit", nil, "invalid instance command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := shortDir(t)
			p, err := Acquire(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var mu sync.Mutex
			var got []string
			go p.Serve(func(cmd string) error {
				mu.Lock()
				got = append(got, cmd)
				mu.Unlock()
				return tt.handler
			})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err = Send(ctx, dir, tt.cmd)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Send: %v", err)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Send: got %v, want error containing %q", err, tt.wantErr)
				}
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0] != tt.cmd {
				t.Fatalf("handler saw %q, want [%q]", got, tt.cmd)
			}
		})
	}
}

func TestSendWithoutPrimaryTimesOut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := Send(ctx, shortDir(t), CmdShow); err == nil {
		t.Fatal("Send succeeded with no primary")
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	dir := shortDir(t)
	if err := os.WriteFile(filepath.Join(dir, socketName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire with a stale socket file: %v", err)
	}
	p.Close()
}

// TestLockDiesWithProcess runs a child that takes the lock and is killed;
// the lock must be free again afterwards.
func TestLockDiesWithProcess(t *testing.T) {
	if os.Getenv("INSTANCE_TEST_CHILD_DIR") != "" {
		if _, err := Acquire(os.Getenv("INSTANCE_TEST_CHILD_DIR")); err != nil {
			fmt.Println("child:", err)
			os.Exit(2)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	dir := shortDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithProcess$")
	cmd.Env = append(os.Environ(), "INSTANCE_TEST_CHILD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "locked") {
		cmd.Process.Kill()
		t.Fatalf("child said %q", buf[:n])
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("Acquire while child holds the lock: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	p, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after the child died: %v", err)
	}
	p.Close()
}
