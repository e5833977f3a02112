package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"golang.org/x/sys/windows"
)

type platformConfinement struct{}

// Available reports whether this system gives what confinement needs (see
// winplan.go), found once: a restricted token that really is at low
// integrity, and a folder that takes an integrity label. (Wine, for one,
// makes the token but leaves it at high integrity, and refuses labels.)
// winPlan is what the Windows layer asks for one process.
type winPlan struct {
	Job    winJob
	Token  *winToken  // nil: not confined (confinement off)
	Labels []winLabel // set before the process starts (most once per policy)
}

func (platformConfinement) Available() (bool, string) { return windowsLayer() }

var windowsLayer = sync.OnceValues(func() (bool, string) {
	const none = "; only Deno's own permission checks and the job's limits apply"
	tok, err := restrictedToken(windowsToken(LaunchSpec{}))
	if err != nil {
		return false, "this Windows cannot make a restricted low-integrity token (" + err.Error() + ")" + none
	}
	level, err := tokenIntegrity(tok)
	tok.Close()
	if err != nil || level != windowsToken(LaunchSpec{}).Integrity {
		return false, fmt.Sprintf("this Windows does not lower a token's integrity (it stays %s)%s", level, none)
	}
	dir, err := os.MkdirTemp("", "mcp-conductor-label-")
	if err != nil {
		return false, "no temporary folder to try integrity labels in (" + err.Error() + ")" + none
	}
	defer os.Remove(dir)
	if err := setLabel(winLabel{Path: dir, SDDL: labelWritable}); err != nil {
		return false, "this Windows does not take integrity labels (" + err.Error() + ")" + none
	}
	return true, "Windows: Job Object, restricted token at low integrity, integrity labels"
})

// startConfined starts cmd in a Job Object of its own (always: it is how
// the tree is ended and its memory and process count capped) and, with
// spec.Confine, with the restricted low-integrity token and the private
// folders labelled. The process is created suspended and put in its job
// before it runs a single instruction, so nothing it starts can be outside
// the job.
func startConfined(cmd *exec.Cmd, spec LaunchSpec) error {
	plan := winPlan{Job: windowsJob(spec)}
	if spec.Confine {
		plan.Token = windowsToken(spec)
		// The per-process labels and access entries: the private folder,
		// and the files Deno reads that change between processes (the
		// lockfile). The policy's were set once, by prepareKernel.
		own := LaunchSpec{RWDirs: spec.RWDirs, ReadFiles: spec.ReadFiles, Private: spec.Private, OpenReads: !readsConfined(spec)}
		plan.Labels = append(windowsLabels(own), windowsAccess(own)...)
	}
	for _, l := range plan.Labels {
		if err := setLabel(l); err != nil && spec.Require {
			return err
		}
	}
	job, err := newJob(plan.Job)
	if err != nil {
		return err
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= windows.CREATE_SUSPENDED
	if plan.Token != nil {
		tok, err := restrictedToken(plan.Token)
		if err != nil {
			windows.CloseHandle(job)
			return fmt.Errorf("the sandbox's restricted token: %w", err)
		}
		defer tok.Close()
		cmd.SysProcAttr.Token = syscall.Token(tok)
	}
	if err := cmd.Start(); err != nil {
		windows.CloseHandle(job)
		return fmt.Errorf("start the sandbox: %w", err)
	}
	if err := enterJobAndResume(job, cmd.Process.Pid); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		windows.CloseHandle(job)
		return fmt.Errorf("sandbox job: %w", err)
	}
	jobs.Store(cmd, job)
	return nil
}

// enterJobAndResume puts the suspended process pid in job and starts its
// one thread.
func enterJobAndResume(job windows.Handle, pid int) error {
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	if err := windows.AssignProcessToJobObject(job, h); err != nil {
		return err
	}
	return resumeProcess(uint32(pid))
}

// resumeProcess resumes the threads of a process created suspended (it
// has one). exec.Cmd does not hand out the thread handle CreateProcess
// returned, so the thread is found by its process id.
func resumeProcess(pid uint32) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(snap)
	te := windows.ThreadEntry32{Size: uint32(windowsSizeofThreadEntry)}
	resumed := false
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != pid {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if err != nil {
			return err
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return err
		}
		resumed = true
	}
	if !resumed {
		return errors.New("the new process has no thread to resume")
	}
	return nil
}

// prepareKernel sets the policy's labels (winplan.go) and access entries
// (winaccess.go) once, when the runner is built: the grants, the
// conductor's files, what Deno reads. Folders an earlier policy granted
// and this one does not get their earlier labels back, and lose their
// entries (labelrecord.go).
func prepareKernel(spec LaunchSpec) error {
	if err := refuseWholeDrives(spec); err != nil {
		return err
	}
	return setPolicyLabels(spec, append(windowsLabels(spec), windowsAccess(spec)...))
}

// releaseKernel gives back the labels only this (replaced) policy held.
func releaseKernel(spec LaunchSpec) error {
	if !spec.Confine {
		return nil
	}
	return setPolicyLabels(spec, nil)
}
