package sandbox

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"syscall"

	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

type platformConfinement struct{}

func (platformConfinement) Available() (bool, string) {
	v, err := llsys.LandlockGetABIVersion()
	if err != nil || v < 1 {
		return false, fmt.Sprintf("this kernel has no Landlock (%v); only Deno's own permission checks apply", err)
	}
	return true, fmt.Sprintf("Landlock ABI %d", v)
}

// startConfined starts cmd confined by spec. Landlock restricts the calling
// thread and what it forks, so the restriction is applied to a fresh OS
// thread that then starts the child and is never reused: its goroutine exits
// while locked, which ends the thread (and the Go runtime creates new
// threads from a clean template thread, never from a locked one). The
// conductor's other threads stay unrestricted. Resource limits are set on
// the child right after it starts; it runs no code of the job before that,
// since the job is only sent once the process is handed out. cmd's streams
// must be open files or pipes: a file Start opened itself (/dev/null for a
// nil stream) would be opened by the confined thread.
func startConfined(cmd *exec.Cmd, spec LaunchSpec) error {
	if spec.Confine {
		errc := make(chan error, 1)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread dies with this goroutine
			if err := restrictThread(spec); err != nil {
				errc <- err
				return
			}
			errc <- cmd.Start()
		}()
		if err := <-errc; err != nil {
			return err
		}
	} else if err := cmd.Start(); err != nil {
		return err
	}
	if err := setLimits(cmd.Process.Pid, spec); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("sandbox limits: %w", err)
	}
	return nil
}

// Access rights, by what they apply to.
const (
	fsRead     = llsys.AccessFSExecute | llsys.AccessFSReadFile | llsys.AccessFSReadDir
	fsFileRead = llsys.AccessFSExecute | llsys.AccessFSReadFile
	fsFileRW   = llsys.AccessFSExecute | llsys.AccessFSReadFile | llsys.AccessFSWriteFile |
		llsys.AccessFSTruncate | llsys.AccessFSIoctlDev
)

// handled returns the rights this kernel's Landlock ABI can enforce: every
// one it knows is handled, so anything not granted below is denied.
func handled(abi int) (fs, net, scoped uint64) {
	fsBits := map[int]uint{1: 13, 2: 14, 3: 15, 4: 15, 5: 16, 6: 16, 7: 16, 8: 16}[abi]
	if abi >= 9 {
		fsBits = 17
	}
	fs = 1<<fsBits - 1
	switch {
	case abi >= 10:
		net = 1<<4 - 1
	case abi >= 4:
		net = 1<<2 - 1
	}
	if abi >= 6 {
		scoped = llsys.ScopeAbstractUnixSocket | llsys.ScopeSignal
	}
	return fs, net, scoped
}

// restrictThread applies spec's Landlock rules to the calling OS thread.
func restrictThread(spec LaunchSpec) error {
	abi, err := llsys.LandlockGetABIVersion()
	if err != nil || abi < 1 {
		if spec.Require {
			return fmt.Errorf("landlock unavailable: %v", err)
		}
		return nil
	}
	fs, net, scoped := handled(abi)
	attr := llsys.RulesetAttr{HandledAccessFS: fs, Scoped: scoped}
	if spec.NoNet {
		attr.HandledAccessNet = net // handled with no rule: no TCP (or UDP) at all
	}
	rs, err := llsys.LandlockCreateRuleset(&attr, 0)
	if err != nil {
		return fmt.Errorf("landlock ruleset: %w", err)
	}
	defer syscall.Close(rs)
	add := func(paths []string, access uint64) error {
		for _, p := range paths {
			fd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
			if errors.Is(err, unix.ENOENT) {
				continue
			}
			if err != nil {
				return fmt.Errorf("landlock rule for %s: %w", p, err)
			}
			err = llsys.LandlockAddPathBeneathRule(rs, &llsys.PathBeneathAttr{AllowedAccess: access & fs, ParentFd: fd}, 0)
			unix.Close(fd)
			if err != nil {
				return fmt.Errorf("landlock rule for %s: %w", p, err)
			}
		}
		return nil
	}
	for _, r := range []struct {
		paths  []string
		access uint64
	}{
		{spec.ReadDirs, fsRead},
		{spec.ReadFiles, fsFileRead},
		{spec.RWDirs, fs},
		{spec.RWFiles, fsFileRW},
	} {
		if err := add(r.paths, r.access); err != nil {
			return err
		}
	}
	// no_new_privs and the restriction both apply to this thread only.
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	if err := llsys.LandlockRestrictSelf(rs, 0); err != nil {
		return fmt.Errorf("landlock restrict: %w", err)
	}
	return nil
}

// setLimits caps the child's data segment (which on Linux includes every
// private writable mapping, so ArrayBuffers outside the V8 heap count too)
// and disables its core dumps.
func setLimits(pid int, spec LaunchSpec) error {
	if err := unix.Prlimit(pid, unix.RLIMIT_CORE, &unix.Rlimit{}, nil); err != nil {
		return err
	}
	if spec.DataLimit == 0 {
		return nil
	}
	return unix.Prlimit(pid, unix.RLIMIT_DATA, &unix.Rlimit{Cur: spec.DataLimit, Max: spec.DataLimit}, nil)
}
