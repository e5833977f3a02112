package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/mcp-conductor/mcp-conductor/app"
	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/internal/cli"
)

// runDefault is what plain `mcp-conductor` does: the desktop app, a window
// plus a tray icon, one per user, with the engine running inside it. A
// binary built without the desktop UI (no "desktop" build tag) says so and
// fails.
func runDefault(ctx context.Context) error {
	cfg, err := app.DefaultConfig(version)
	if err != nil {
		return err
	}
	slog.SetDefault(cli.Logger())
	cfg.Setup = func(ctx context.Context, cfg *app.Config) func() {
		exe, err := os.Executable()
		if err != nil {
			exe = "" // entries keep the launcher copied by an earlier start or register
		}
		// Executions reach the window from the audit log, which every
		// process writes (app.Run watches it), so no OnExecution here.
		c := core.Start(ctx, cfg.Events.CoreOptions(core.Options{
			Version: version, Logger: cli.Logger(), Executable: exe,
		}))
		cfg.UseCore(c)
		return c.Close
	}
	return app.Run(ctx, cfg)
}
