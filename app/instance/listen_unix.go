//go:build !windows

package instance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// listen listens on the unix socket in dir, replacing a stale socket file
// (the caller holds the lock, so its owner is dead).
func listen(dir string) (net.Listener, error) {
	sock := filepath.Join(dir, socketName)
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing stale instance socket: %w", err)
	}
	return net.Listen("unix", sock)
}

// dial connects to the primary's socket in dir.
func dial(ctx context.Context, dir string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", filepath.Join(dir, socketName))
}
