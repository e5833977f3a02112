package sandbox

import (
	"os/exec"
	"sync"

	"golang.org/x/sys/windows"
)

// jobs holds the Job Object of each running sandbox process (see
// startConfined): the whole tree is ended through it.
var jobs sync.Map // *exec.Cmd → windows.Handle

// newProcessGroup does nothing here: on Windows the process's job is its
// group, made when it starts (startConfined).
func newProcessGroup(cmd *exec.Cmd) {}

// signalGroup ends the process's whole job: every process in it, whatever
// it started, at once (Windows has no gentle signal to send first). With
// kill, the job's handle is closed too; the job is gone with its last
// process.
func signalGroup(cmd *exec.Cmd, kill bool) {
	v, ok := jobs.Load(cmd)
	if !ok {
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
		return
	}
	job := v.(windows.Handle)
	_ = windows.TerminateJobObject(job, 1)
	if kill {
		if _, loaded := jobs.LoadAndDelete(cmd); loaded {
			windows.CloseHandle(job)
		}
	}
}

// processAlive reports whether a process with this id is running.
func processAlive(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		// Access denied means it exists (another user's); anything else
		// (ERROR_INVALID_PARAMETER) that no such process runs.
		return err == windows.ERROR_ACCESS_DENIED
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	return code == 259 // STILL_ACTIVE
}
