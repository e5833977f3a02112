package appask

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// pipeName is the named pipe of the app for home: named after the folder,
// so two users, or two homes, never share one.
func pipeName(home string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(home))))
	return `\\.\pipe\mcp-conductor-approval-` + hex.EncodeToString(sum[:12])
}

// listen listens on home's named pipe: only the current user may connect,
// and go-winio creates its first instance exclusively, so a process that
// made the pipe first makes this fail instead of receiving our askers.
func listen(home string) (net.Listener, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("who runs the app: %w", err)
	}
	return winio.ListenPipe(pipeName(home), &winio.PipeConfig{SecurityDescriptor: "D:P(A;;GA;;;" + u.User.Sid.String() + ")"})
}

// dial connects to the app's named pipe for home.
func dial(ctx context.Context, home string) (net.Conn, error) {
	return winio.DialPipeContext(ctx, pipeName(home))
}
