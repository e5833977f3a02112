//go:build !desktop

package app

import (
	"context"
	"errors"
)

// ErrNoDesktop is returned by Run in a binary built without the desktop UI.
var ErrNoDesktop = errors.New("this binary was built without the desktop UI; build with -tags desktop,production,webkit2_41 (see docs/gui.md), or run mcp-conductor --help for the headless commands")

// Run would start the desktop app; this build has none.
func Run(ctx context.Context, cfg Config) error { return ErrNoDesktop }
