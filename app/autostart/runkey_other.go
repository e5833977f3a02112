//go:build !windows

package autostart

// The Run key exists only on Windows.

func runKeyEnabled(string) (bool, error) { return false, ErrUnsupported }

func setRunKey(string, []string, bool) error { return ErrUnsupported }
