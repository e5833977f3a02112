package main

import (
	"context"

	"github.com/mcp-conductor/mcp-conductor/app"
)

// runDefault is what plain `mcp-conductor` does: the desktop app, a window
// plus a tray icon, one per user. A binary built without the desktop UI
// (no "desktop" build tag) says so and fails.
func runDefault(ctx context.Context) error {
	cfg, err := app.DefaultConfig(version)
	if err != nil {
		return err
	}
	// The engine's services plug in here as they land, e.g.
	// cfg.Services.Endpoint, cfg.Services.Runtime, cfg.Services.Clients.
	return app.Run(ctx, cfg)
}
