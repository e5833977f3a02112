package instance

import (
	"strings"
	"testing"
)

// TestPipeIsPerFolderAndOwnerOnly: the primary listens on a named pipe (not
// a unix socket, which Windows may lack), one per folder whatever its
// spelling's case, that only its user may open.
func TestPipeIsPerFolderAndOwnerOnly(t *testing.T) {
	a, b := pipeName(`C:\Users\a\AppData\Local\mcp-conductor`), pipeName(`C:\Users\b\AppData\Local\mcp-conductor`)
	if a == b || !strings.HasPrefix(a, `\\.\pipe\mcp-conductor-`) {
		t.Errorf("pipe names %s, %s", a, b)
	}
	if pipeName(`C:\USERS\A\AppData\Local\mcp-conductor`) != a {
		t.Error("the same folder spelled in another case has another pipe")
	}
	if got := pipeSDDL("S-1-5-21-1-2-3-1001"); got != "D:P(A;;GA;;;S-1-5-21-1-2-3-1001)" {
		t.Errorf("pipe descriptor %s", got)
	}
}
