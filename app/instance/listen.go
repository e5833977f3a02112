package instance

import (
	"context"
	"net"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/internal/localsock"
)

// listen listens on the socket in dir (see package localsock), replacing a
// stale one: the caller holds the lock, so its owner is dead.
func listen(dir string) (net.Listener, error) {
	return localsock.Listen(filepath.Join(dir, socketName))
}

// dial connects to the primary's socket in dir.
func dial(ctx context.Context, dir string) (net.Conn, error) {
	return localsock.Dial(ctx, filepath.Join(dir, socketName))
}
