package localsock

import (
	"strings"
	"testing"
)

// TestPipeIsPerPathAndOwnerOnly: a named pipe (not a unix socket, which
// Windows may lack), one per path whatever its spelling's case, that only
// its user may open.
func TestPipeIsPerPathAndOwnerOnly(t *testing.T) {
	a, b := PipeName(`C:\Users\a\AppData\Local\mcp-conductor\gui.sock`), PipeName(`C:\Users\b\AppData\Local\mcp-conductor\gui.sock`)
	if a == b || !strings.HasPrefix(a, `\\.\pipe\mcp-conductor-`) {
		t.Errorf("pipe names %s, %s", a, b)
	}
	if PipeName(`C:\USERS\A\AppData\Local\mcp-conductor\gui.sock`) != a {
		t.Error("the same path spelled in another case has another pipe")
	}
	if got := PipeSDDL("S-1-5-21-1-2-3-1001"); got != "D:P(A;;GA;;;S-1-5-21-1-2-3-1001)" {
		t.Errorf("pipe descriptor %s", got)
	}
}
