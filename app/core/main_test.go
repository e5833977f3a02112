package core

import (
	"os"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// TestMain lets the test binary serve as the sandbox launcher, as
// mcp-conductor's main does: the engine re-executes its own program.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == sandbox.LauncherArg {
		sandbox.LauncherMain(os.Args[2:])
	}
	os.Exit(m.Run())
}
