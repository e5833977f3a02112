package fsx

import (
	"os"
	"time"
)

// Version tells one version of a file from another: its time and size, and
// the file itself. Every write through this package replaces the file, so
// two versions of one size written within one tick of the file system's
// clock are still told apart (os.SameFile).
type Version struct {
	mod  time.Time
	size int64
	info os.FileInfo // nil: the file did not exist
}

// VersionOf is path's version now; a missing file has the zero Version.
func VersionOf(path string) Version {
	st, err := os.Stat(path)
	if err != nil {
		return Version{}
	}
	return VersionFrom(st)
}

// VersionFrom is the version of the file fi describes, for a caller that
// has already asked for it.
func VersionFrom(fi os.FileInfo) Version {
	return Version{fi.ModTime(), fi.Size(), fi}
}

// Same reports whether s and o are the same version of the file.
func (s Version) Same(o Version) bool {
	return s.mod.Equal(o.mod) && s.size == o.size &&
		(s.info == nil) == (o.info == nil) && (s.info == nil || os.SameFile(s.info, o.info))
}
