package fsx

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// ErrLocked is returned when a lock stays held by another process until the
// context ends.
var ErrLocked = errors.New("held by another process")

// Lock takes the lock file at path (an advisory lock on the file itself,
// github.com/gofrs/flock: the kernel releases it when its holder exits,
// crashed or not, so there is no stale lock to guess about), waiting until
// ctx ends. It guards against two conductor processes changing the same
// thing at once.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock folder: %w", err)
	}
	l := flock.New(path)
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, ErrLocked
	}
	return func() { _ = l.Unlock() }, nil
}
