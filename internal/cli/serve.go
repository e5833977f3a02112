package cli

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/engine"
)

// newEngine builds the services for a headless mode. Everything it logs goes
// to stderr: in stdio mode stdout carries only MCP.
func newEngine(ctx context.Context) (*engine.Engine, error) {
	logger := log.New(os.Stderr, "mcp-conductor: ", 0)
	return engine.New(ctx, engine.Options{Version: version, Logf: logger.Printf, WatchSettings: true})
}

func serveStdio(ctx context.Context) error {
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	defer e.Close()
	if err := e.Server().MCP().Run(ctx, &mcp.StdioTransport{}); err != nil && ctx.Err() == nil {
		return fmt.Errorf("serve stdio: %w", err)
	}
	return nil
}
