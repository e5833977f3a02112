package fsx

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ReplaceDir moves the folder src to dst, which may exist: an existing dst
// is first moved to aside (a path on the same file system that does not
// exist yet, normally inside a temporary folder the caller removes), so
// dst is always either the old folder or the new one, never a mix. src and
// dst must be on the same file system.
func ReplaceDir(src, dst, aside string) error {
	if _, err := os.Lstat(dst); err == nil {
		if err := os.Rename(dst, aside); err != nil {
			return err
		}
	}
	if err := os.Rename(src, dst); err != nil {
		return err
	}
	syncDir(filepath.Dir(dst))
	return nil
}

// WriteExecutable replaces the program at path with what r holds, as
// WriteFrom does. On Windows a running program cannot be replaced, but it
// can be renamed: the old copy is moved to path+".old" first (removed at
// the next replacement, once it no longer runs), so that updating the
// program works while a copy of it runs.
func WriteExecutable(path string, r io.Reader, mode fs.FileMode) error {
	if runtime.GOOS == "windows" {
		old := path + ".old"
		_ = os.Remove(old)
		_ = os.Rename(path, old)
	}
	return WriteFrom(path, r, mode)
}
