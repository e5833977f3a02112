// Package fsx keeps every change the conductor makes to a file safe:
// atomic replacement (readers see the old or the new content, never a
// half-written file, and a crash leaves one or the other), timestamped
// backups that prune themselves, and a lock between conductor processes
// that the kernel releases when a holder dies. Nothing else in the
// conductor renames a temporary file over a real one or swaps a folder.
package fsx

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data, atomically (see WriteFrom).
func WriteFile(path string, data []byte, mode fs.FileMode) error {
	return WriteFrom(path, bytes.NewReader(data), mode)
}

// WriteFrom replaces path with what r holds: a temporary file in the same
// folder, given mode, synced, renamed over path, then the folder synced so
// the rename survives a crash. The folder is created (0755) if missing. A
// mode without group and other bits (0600) makes the file owner-only on
// Windows too (see Restrict).
func WriteFrom(path string, r io.Reader, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = restrictFile(f, mode) // Windows: the mode bits alone keep no one out
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a folder's entries durable (a rename in it), where the
// system allows opening a folder for that (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// WriteOnce writes data to path, read-only (0444), unless path holds it
// already. For files named by their content (a hash in the name), which
// running readers may have open: such a file is never changed, only made.
func WriteOnce(path string, data []byte) error {
	if b, err := os.ReadFile(path); err == nil && string(b) == string(data) {
		return nil
	}
	return WriteFile(path, data, 0o444)
}
