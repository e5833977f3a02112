package main

import (
	"context"
	"log"
	"os"

	"github.com/mcp-conductor/mcp-conductor/app"
	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
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
	cfg.Setup = func(ctx context.Context, cfg *app.Config) func() {
		exe, err := os.Executable()
		if err != nil {
			exe = "" // entries keep the launcher copied by an earlier start or register
		}
		logger := log.New(os.Stderr, "mcp-conductor: ", log.LstdFlags)
		events := cfg.Events
		c := core.Start(ctx, core.Options{
			Version: version, Logf: logger.Printf, Executable: exe,
			OnExecution: func(r audit.Record) { events.Emit(app.EventExecution, app.ExecutionOf(r)) },
		})
		cfg.UseCore(c)
		return c.Close
	}
	return app.Run(ctx, cfg)
}
