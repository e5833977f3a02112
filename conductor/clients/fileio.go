package clients

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// newFileMode is the mode of a configuration file we create: entries can
// carry tokens, so only the user reads it.
const newFileMode = 0o600

// lock takes the conductor's lock for path, waiting up to ctx's deadline (or
// 10 s). It guards against another mcp-conductor (CLI or tray) editing the
// same file at once; the client applications themselves do not honour it.
// The kernel releases it if its holder dies (fsx.Lock).
func lock(ctx context.Context, home, path string) (unlock func(), err error) {
	if err := ensureHome(home); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(path))
	name := filepath.Join(home, "locks", hex.EncodeToString(sum[:8])+".lock")
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	unlock, err = fsx.Lock(ctx, name)
	if errors.Is(err, fsx.ErrLocked) {
		return nil, fmt.Errorf("%s is being edited by another mcp-conductor; try again when it has finished", path)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return unlock, nil
}

// EnsureHome creates the conductor home folder owner-only (mode 0700; on
// Windows an owner-only access list, see fsx.MkdirPrivate): it holds the
// HTTP token and backups of client files, which can carry tokens. A
// default home (~/.mcp-conductor) left group- or world-readable by an older
// version is tightened; a home chosen with MCP_CONDUCTOR_HOME keeps
// its mode.
func EnsureHome(home string) error { return ensureHome(home) }

func ensureHome(home string) error {
	fi, err := os.Stat(home)
	if errors.Is(err, fs.ErrNotExist) {
		if err := fsx.MkdirPrivate(home); err != nil {
			return fmt.Errorf("create %s: %w", home, err)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if private, err := fsx.IsPrivate(home); err == nil && fi.IsDir() && !private && filepath.Base(home) == ".mcp-conductor" {
		if err := fsx.Restrict(home); err != nil {
			return err
		}
	}
	return nil
}

// readConfig reads path, following symbolic links (dotfile managers link
// these files) so that the write replaces the real file. A missing file reads
// as empty with exists false.
func readConfig(path string) (real string, data []byte, mode fs.FileMode, exists bool, err error) {
	real = path
	if r, err := filepath.EvalSymlinks(path); err == nil {
		real = r
	}
	fi, err := os.Stat(real)
	if errors.Is(err, fs.ErrNotExist) {
		return real, nil, newFileMode, false, nil
	}
	if err != nil {
		return real, nil, 0, false, err
	}
	if !fi.Mode().IsRegular() {
		return real, nil, 0, false, fmt.Errorf("%s is not a regular file", real)
	}
	data, err = os.ReadFile(real)
	return real, data, fi.Mode().Perm(), true, err
}

// writeAtomic replaces path with data, atomically (see fsx.WriteFile).
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	return fsx.WriteFile(path, data, mode)
}

// checkWritable refuses files the user made read-only: renaming over them
// would succeed and silently defeat that choice.
func checkWritable(path string, mode fs.FileMode) error {
	if mode&0o200 == 0 {
		return fmt.Errorf("%s is read-only; make it writable (chmod u+w) to let mcp-conductor edit it, or edit it by hand", path)
	}
	return nil
}
