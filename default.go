//go:build desktop

package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/mcp-conductor/mcp-conductor/app"
	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/internal/cli"
)

// runDefault is what plain `mcp-conductor` does: the desktop app, a window
// plus a tray icon, one per user, with the engine running inside it.
func runDefault(ctx context.Context, o cli.DesktopOptions) error {
	cfg, err := app.DefaultConfig(version)
	if err != nil {
		return err
	}
	cfg.StartHidden = o.StartHidden
	slog.SetDefault(cli.Logger())
	cfg.Setup = func(ctx context.Context, cfg *app.Config) func() {
		exe, err := os.Executable()
		if err != nil {
			exe = "" // entries keep the launcher copied by an earlier start or register
		}
		// Executions reach the window from the audit log, which every
		// process writes (app.Run watches it), so no OnExecution here.
		b := backend.Start(ctx, cfg.Events.BackendOptions(backend.Options{
			Version: version, Logger: cli.Logger(), Executable: exe,
		}))
		cfg.Backend = b
		return b.Close
	}
	return app.Run(ctx, cfg)
}
