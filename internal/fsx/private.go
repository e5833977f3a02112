package fsx

import (
	"fmt"
	"os"
)

// MkdirPrivate creates dir and its parents for the conductor's own files
// (secrets among them): mode 0700 where it is made (an existing folder keeps
// its mode, as with os.MkdirAll). On Windows, where a new folder inherits
// its parent's access list and the mode bits mean nothing, dir is made
// owner-only (see Restrict) whether it existed or not, so what is created
// inside inherits that.
func MkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := restrictPlatform(dir, true, false); err != nil {
		return fmt.Errorf("make %s private to its owner: %w", dir, err)
	}
	return nil
}

// Restrict makes an existing file or folder reachable by its owner only:
// mode 0600 (0700 for a folder) on Unix; on Windows a protected access list
// (nothing inherited from the parent) with one entry, full access for the
// user the conductor runs as, who also becomes its owner. A folder's entry is
// inherited by everything created inside it.
func Restrict(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := restrictPlatform(path, st.IsDir(), true); err != nil {
		return fmt.Errorf("make %s private to its owner: %w", path, err)
	}
	return nil
}

// IsPrivate reports whether only its owner can reach path: no group or
// other mode bits on Unix; on Windows a protected access list that allows
// no one but the current user.
func IsPrivate(path string) (bool, error) { return isPrivatePlatform(path) }
