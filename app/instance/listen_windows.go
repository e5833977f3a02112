package instance

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

// pipeName is the named pipe of the primary for dir: named after the folder
// (which lies in the user's profile), so two users, or two folders, never
// share one.
func pipeName(dir string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(dir))))
	return `\\.\pipe\mcp-conductor-` + hex.EncodeToString(sum[:12])
}

// listen listens on dir's named pipe (go-winio). Its security descriptor
// lets only the current user connect, and go-winio makes the first instance
// with FILE_FLAG_FIRST_PIPE_INSTANCE, so a process that created the pipe
// first makes this fail instead of receiving our clients.
func listen(dir string) (net.Listener, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("who runs the app: %w", err)
	}
	return winio.ListenPipe(pipeName(dir), &winio.PipeConfig{SecurityDescriptor: pipeSDDL(u.User.Sid.String())})
}

// pipeSDDL allows the user sid, and no one else, to use the pipe.
func pipeSDDL(sid string) string { return "D:P(A;;GA;;;" + sid + ")" }

// dial connects to the primary's named pipe for dir.
func dial(ctx context.Context, dir string) (net.Conn, error) {
	return winio.DialPipeContext(ctx, pipeName(dir))
}
