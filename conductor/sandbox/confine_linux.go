package sandbox

import (
	"fmt"
	"os"
	"syscall"

	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

type platformConfinement struct{}

func (platformConfinement) Available() (bool, string) {
	v, err := llsys.LandlockGetABIVersion()
	if err != nil || v < 1 {
		return false, fmt.Sprintf("this kernel has no Landlock (%v); only Deno's own permission checks apply", err)
	}
	return true, fmt.Sprintf("Landlock ABI %d", v)
}

func confineSelf(spec LaunchSpec) error {
	var rules []landlock.Rule
	add := func(paths []string, mk func(...string) landlock.FSRule) {
		var ok []string
		for _, p := range paths {
			if _, err := os.Stat(p); err == nil {
				ok = append(ok, p)
			}
		}
		if len(ok) > 0 {
			rules = append(rules, mk(ok...))
		}
	}
	add(spec.ReadDirs, landlock.RODirs)
	add(spec.ReadFiles, landlock.ROFiles)
	add(spec.RWDirs, func(p ...string) landlock.FSRule { return landlock.RWDirs(p...).WithRefer() })
	add(spec.RWFiles, landlock.RWFiles)
	cfg := landlock.V7.BestEffort()
	if err := cfg.RestrictPaths(rules...); err != nil {
		return fmt.Errorf("landlock paths: %w", err)
	}
	if spec.NoNet {
		if err := cfg.RestrictNet(); err != nil {
			return fmt.Errorf("landlock net: %w", err)
		}
	}
	// Signals and abstract sockets stay inside the sandbox's own domain: code
	// granted allow-run still cannot signal the conductor.
	if err := cfg.RestrictScoped(); err != nil {
		return fmt.Errorf("landlock scope: %w", err)
	}
	return nil
}

// setLimits caps the process's data segment (which on Linux includes every
// private writable mapping, so ArrayBuffers outside the V8 heap count too)
// and disables core dumps.
func setLimits(spec LaunchSpec) error {
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
	if spec.DataLimit == 0 {
		return nil
	}
	return syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: spec.DataLimit, Max: spec.DataLimit})
}
