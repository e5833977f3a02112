package appask

import (
	"context"
	"net"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/internal/localsock"
)

// listen listens on the app's socket in home (see package localsock),
// replacing a stale one.
func listen(home string) (net.Listener, error) {
	return localsock.Listen(filepath.Join(home, SocketName))
}

// dial connects to the app's socket in home.
func dial(ctx context.Context, home string) (net.Conn, error) {
	return localsock.Dial(ctx, filepath.Join(home, SocketName))
}
