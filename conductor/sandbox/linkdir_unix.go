//go:build !windows

package sandbox

import "os"

// linkDir makes link lead to the folder target: a symbolic link.
func linkDir(target, link string) error { return os.Symlink(target, link) }
