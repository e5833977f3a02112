// Command mcp-conductor runs LLM-written TypeScript/JavaScript in a sandboxed
// Deno subprocess and serves it to AI agents over MCP.
//
// Faces:
//
//	mcp-conductor                the desktop app (window and tray icon)
//	mcp-conductor --stdio        MCP server over stdin/stdout (what IDEs launch)
//	mcp-conductor <command> ...  headless management commands (see help)
//
// The command line lives in internal/cli, the desktop app in app/.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mcp-conductor/mcp-conductor/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Options{Version: version, Desktop: runDefault})
	stop()
	os.Exit(code)
}
