//go:build !windows

package fsx

import "os"

// restrictPlatform sets owner-only mode bits; MkdirPrivate (chmod false)
// leaves an existing folder's mode as it is, as os.MkdirAll does.
func restrictPlatform(path string, dir, chmod bool) error {
	if !chmod {
		return nil
	}
	mode := os.FileMode(0o600)
	if dir {
		mode = 0o700
	}
	return os.Chmod(path, mode)
}

func isPrivatePlatform(path string) (bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return st.Mode().Perm()&0o077 == 0, nil
}

// restrictFile is a no-op: the file was created with its mode.
func restrictFile(f *os.File, mode os.FileMode) error { return nil }
