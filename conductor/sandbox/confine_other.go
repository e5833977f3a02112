//go:build !linux

package sandbox

import "errors"

type platformConfinement struct{}

func (platformConfinement) Available() (bool, string) {
	return false, "kernel confinement is implemented for Linux only; only Deno's own permission checks apply"
}

func confineSelf(LaunchSpec) error {
	return errors.New("kernel confinement is not implemented on this OS")
}

func setLimits(LaunchSpec) error { return nil }
