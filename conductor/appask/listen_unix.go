//go:build !windows

package appask

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// listen listens on the unix socket in home (owner-only, like the home),
// replacing a stale socket file.
func listen(home string) (net.Listener, error) {
	sock := filepath.Join(home, SocketName)
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing the stale socket: %w", err)
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// dial connects to the app's socket in home.
func dial(ctx context.Context, home string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", filepath.Join(home, SocketName))
}
