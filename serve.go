package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// newServer loads the administrator's policy and builds the engine.
// Everything it logs goes to stderr: in stdio mode stdout carries only MCP.
func newServer(ctx context.Context) (*server.Server, *sandbox.Runner, error) {
	policy, err := config.FromEnv()
	if err != nil {
		return nil, nil, err
	}
	deno, err := locateDeno(ctx, policy)
	if err != nil {
		return nil, nil, err
	}
	logger := log.New(os.Stderr, "mcp-conductor: ", 0)
	runner, err := sandbox.New(ctx, policy, sandbox.Options{Deno: deno, Warn: func(s string) { logger.Println("warning:", s) }})
	if err != nil {
		return nil, nil, err
	}
	return server.New(policy, server.Options{Version: version, Runner: runner}), runner, nil
}

func serveStdio(ctx context.Context) error {
	srv, runner, err := newServer(ctx)
	if err != nil {
		return err
	}
	defer runner.Close()
	if err := srv.MCP().Run(ctx, &mcp.StdioTransport{}); err != nil && ctx.Err() == nil {
		return fmt.Errorf("serve stdio: %w", err)
	}
	return nil
}
