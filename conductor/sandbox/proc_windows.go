package sandbox

import "os/exec"

func newProcessGroup(cmd *exec.Cmd) {}

func signalGroup(cmd *exec.Cmd, kill bool) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// processAlive reports whether a process with this id exists. Windows is
// not asked yet: folders are kept rather than removed from under a
// running conductor.
func processAlive(pid int) bool { return true }
