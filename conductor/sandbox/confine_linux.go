package sandbox

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"

	"github.com/landlock-lsm/go-landlock/landlock"
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

// landlockABI is the kernel's Landlock ABI version; 0 without Landlock.
func landlockABI() int {
	v, err := llsys.LandlockGetABIVersion()
	if err != nil {
		return 0
	}
	return v
}

// startConfined starts cmd confined by spec. Every restriction below
// applies to the calling thread and what it forks, so it is applied to an
// OS thread that then starts the child and is never reused: its goroutine
// exits while locked, which ends the thread (and the Go runtime creates new
// threads from a clean template thread, never from a locked one). That
// thread is never the main one (offMainThread): the main thread cannot end,
// so it would stay restricted, in the child's own Landlock domain, and it
// is the thread other processes reach when they signal the conductor: the
// child could then end it. The conductor's other threads stay
// unrestricted. On that thread,
// whoever runs the conductor (root included):
//
//   - no_new_privs is set, so no set-user-ID program or file capability can
//     give the child privileges back;
//   - every capability is dropped (bounding, ambient, inheritable,
//     permitted, effective sets);
//   - the Landlock ruleset (when spec.Confine) limits files, TCP and IPC;
//   - a seccomp filter limits which sockets can be made (see socketPolicy).
//
// Resource limits are set on the child right after it starts; it runs no
// code of the job before that, since the job is only sent once the
// process is handed out. cmd's streams must be open files or pipes: a file
// Start opened itself (/dev/null for a nil stream) would be opened by the
// confined thread.
func startConfined(cmd *exec.Cmd, spec LaunchSpec) error {
	abi := landlockABI()
	rulesetFD, flags := -1, uint32(0)
	if spec.Confine {
		fd, fl, err := landlockRuleset(spec)
		if err != nil {
			return err
		}
		if fd < 0 && spec.Require {
			return errors.New("landlock is unavailable on this kernel")
		}
		if fd >= 0 {
			defer unix.Close(fd)
		}
		rulesetFD, flags = fd, fl
	}
	filter, err := socketFilter(socketPolicy(spec, abi))
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go offMainThread(isMainThread, func() {
		runtime.LockOSThread() // never unlocked: the thread dies with this goroutine
		if err := lockDownThread(rulesetFD, flags, filter); err != nil {
			errc <- err
			return
		}
		errc <- cmd.Start()
	})
	if err := <-errc; err != nil {
		return err
	}
	if err := setLimits(cmd.Process.Pid, spec); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("sandbox limits: %w", err)
	}
	return nil
}

// landlockRuleset builds spec's rules with go-landlock, in best-effort mode:
// every access right this kernel's ABI knows is handled, so anything not
// granted is denied; rights newer than the kernel are dropped. Without
// allow-net the network rights are handled with no rule (no TCP, and no UDP
// from ABI 10 on); with it the kernel leaves the network to Deno's host
// list. The returned descriptor (or -1 without Landlock) is enforced later,
// on the starting thread.
func landlockRuleset(spec LaunchSpec) (int, uint32, error) {
	cfg := landlock.V11.BestEffort()
	if !spec.NoNet {
		cfg.HandledAccessNet = 0
	}
	// Moving files between granted folders needs "refer", which ABI 1
	// cannot grant (asking for it there would disable Landlock altogether).
	rw := func(paths []string) landlock.FSRule {
		r := landlock.RWDirs(paths...).IgnoreIfMissing()
		if landlockABI() >= 2 {
			r = r.WithRefer()
		}
		return r
	}
	rules := []landlock.Rule{
		landlock.RODirs(spec.ReadDirs...).IgnoreIfMissing(),
		landlock.ROFiles(spec.ReadFiles...).IgnoreIfMissing(),
		rw(spec.RWDirs),
		landlock.RWFiles(spec.RWFiles...).WithIoctlDev().IgnoreIfMissing(),
		// Unix sockets in folders the administrator granted for writing
		// (enforced from ABI 9; below it, seccomp refuses unix sockets).
		rw(spec.GrantedRWDirs).WithResolveUnix(),
	}
	fd, flags, err := cfg.NewRulesetFD(rules...)
	if err != nil {
		return -1, 0, fmt.Errorf("landlock ruleset: %w", err)
	}
	return fd, flags, nil
}

// lockDownThread restricts the calling (locked) thread; see startConfined.
func lockDownThread(rulesetFD int, flags uint32, filter *unix.SockFprog) error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	if err := dropCapabilities(); err != nil {
		return fmt.Errorf("drop capabilities: %w", err)
	}
	if rulesetFD >= 0 {
		if err := llsys.LandlockRestrictSelf(rulesetFD, flags); err != nil {
			return fmt.Errorf("landlock restrict: %w", err)
		}
	}
	if err := loadFilter(filter); err != nil {
		return fmt.Errorf("seccomp: %w", err)
	}
	return nil
}

// dropCapabilities empties every capability set of the calling thread. The
// bounding set can only be lowered with CAP_SETPCAP; a thread without it
// has no capabilities to lose there, and no_new_privs keeps exec from
// adding any.
func dropCapabilities() error {
	for c := 0; ; c++ {
		err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
		if errors.Is(err, unix.EINVAL) {
			break // past the last capability this kernel knows
		}
		if errors.Is(err, unix.EPERM) {
			break // no CAP_SETPCAP: nothing to drop from the bounding set
		}
		if err != nil {
			return err
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil && !errors.Is(err, unix.EINVAL) {
		return err
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	return unix.Capset(&hdr, &data[0])
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

// prepareKernel has nothing to prepare: Landlock's rules are made per
// process (startConfined).
func prepareKernel(spec LaunchSpec) error { return nil }

// offMainThread runs f on a thread that is not the main one (isMain tells).
// A goroutine may be scheduled on the main thread; if this one is, it
// holds that thread (LockOSThread) while f runs in a goroutine of its own,
// which therefore runs on another thread, and then lets it go untouched.
func offMainThread(isMain func() bool, f func()) {
	runtime.LockOSThread()
	if !isMain() {
		f() // f locks this thread for good; the extra lock goes with it
		return
	}
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	<-done
	runtime.UnlockOSThread()
}

// isMainThread reports whether the calling thread is the process's main
// thread (its thread id is the process id).
func isMainThread() bool { return unix.Gettid() == unix.Getpid() }
