package main

import "context"

// runDefault is what plain `mcp-conductor` does. Until the tray app lands it
// prints the help.
func runDefault(ctx context.Context) error {
	printHelp()
	return nil
}
