//go:build !desktop

package main

import (
	"context"

	"github.com/mcp-conductor/mcp-conductor/internal/cli"
)

// runDefault is nil in a build without the "desktop" tag: such a binary
// links neither the window nor the tray (so it cross-builds without cgo),
// and plain `mcp-conductor` says how to build the desktop app.
var runDefault func(context.Context, cli.DesktopOptions) error
