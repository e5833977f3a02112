package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/engine"
)

// Logger is where the conductor's faces log: stderr (in stdio mode stdout
// carries only MCP), one line a record.
func Logger() *slog.Logger { return slog.New(slog.NewTextHandler(os.Stderr, nil)) }

// newEngine builds the services for a headless mode.
func newEngine(ctx context.Context) (*engine.Engine, error) {
	return engine.New(ctx, engine.Options{Version: version, Logger: Logger(), WatchSettings: true})
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
