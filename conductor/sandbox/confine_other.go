//go:build !linux && !darwin && !windows

package sandbox

import "os/exec"

type platformConfinement struct{}

func (platformConfinement) Available() (bool, string) {
	return false, "kernel confinement is implemented for Linux only; only Deno's own permission checks apply"
}

// startConfined starts cmd; there is no kernel layer on this platform yet.
func startConfined(cmd *exec.Cmd, spec LaunchSpec) error { return cmd.Start() }

// prepareKernel has nothing to prepare on this platform.
func prepareKernel(spec LaunchSpec) error { return nil }
