package main

import (
	"context"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/runtime"
)

// locateDeno finds the Deno binary the sandbox runs (see runtime.Locate for
// the search order); the administrator's MCP_CONDUCTOR_DENO wins.
func locateDeno(ctx context.Context, p config.Policy) (string, error) {
	rt, err := runtime.Locate(ctx, runtime.LocateOptions{Home: p.Home})
	if err != nil {
		return "", err
	}
	return rt.Path, nil
}
