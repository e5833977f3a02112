package localsock

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

// PipeName is the named pipe standing for path: named after it (which lies
// in the user's profile), whatever its spelling's case, so two users, or
// two folders, never share one.
func PipeName(path string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(path))))
	return `\\.\pipe\mcp-conductor-` + hex.EncodeToString(sum[:12])
}

// Listen listens on path's named pipe (go-winio). Its security descriptor
// lets only the current user connect, and go-winio makes the first
// instance with FILE_FLAG_FIRST_PIPE_INSTANCE, so a process that created
// the pipe first makes this fail instead of receiving our clients.
func Listen(path string) (net.Listener, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("who runs the app: %w", err)
	}
	return winio.ListenPipe(PipeName(path), &winio.PipeConfig{SecurityDescriptor: PipeSDDL(u.User.Sid.String())})
}

// PipeSDDL allows the user sid, and no one else, to use the pipe.
func PipeSDDL(sid string) string { return "D:P(A;;GA;;;" + sid + ")" }

// Dial connects to path's named pipe.
func Dial(ctx context.Context, path string) (net.Conn, error) {
	return winio.DialPipeContext(ctx, PipeName(path))
}
