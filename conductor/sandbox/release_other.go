//go:build !windows

package sandbox

// releaseKernel has nothing to give back: only Windows' labels outlive the
// policy that set them (labelrecord.go).
func releaseKernel(spec LaunchSpec) error { return nil }
