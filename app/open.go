package app

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"time"
)

// openWait is how long OpenFolder waits for the opener to fail. One still
// running then has handed the folder to a file manager (or is one).
const openWait = 5 * time.Second

// OpenFolder shows dir in the system file manager (xdg-open, open,
// explorer). It returns an error when the opener is missing or fails
// within a few seconds, so the window can say that nothing opened;
// otherwise it does not wait for the file manager.
func OpenFolder(dir string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", dir)
	case "windows":
		cmd = exec.Command("explorer", dir)
	default:
		cmd = exec.Command("xdg-open", dir)
	}
	name := cmd.Args[0]
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%s is not installed", name)
		}
		return fmt.Errorf("%s could not start: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }() // reap it; the file manager may outlive us
	select {
	case err := <-done:
		var ee *exec.ExitError
		// explorer exits with 1 even when it opened the folder.
		if errors.As(err, &ee) && runtime.GOOS != "windows" {
			return fmt.Errorf("%s found no file manager (exit status %d)", name, ee.ExitCode())
		}
		return nil
	case <-time.After(openWait):
		return nil
	}
}
