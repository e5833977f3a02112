package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// engine is the conductor's services, built once per process.
type engine struct {
	server *server.Server
	runner *sandbox.Runner
	proxy  *proxy.Manager
}

func (e *engine) Close() {
	e.runner.Close()
	e.proxy.Close()
}

// newEngine loads the administrator's policy and builds the engine.
// Everything it logs goes to stderr: in stdio mode stdout carries only MCP.
func newEngine(ctx context.Context) (*engine, error) {
	policy, err := config.FromEnv()
	if err != nil {
		return nil, err
	}
	deno, err := locateDeno(ctx, policy)
	if err != nil {
		return nil, err
	}
	logger := log.New(os.Stderr, "mcp-conductor: ", 0)
	runner, err := sandbox.New(ctx, policy, sandbox.Options{Deno: deno, Warn: func(s string) { logger.Println("warning:", s) }})
	if err != nil {
		return nil, err
	}
	px := proxy.NewManager(policy.MCPConfig, proxy.Options{Version: version, Logf: logger.Printf})
	if err := px.ConfigError(); err != nil {
		logger.Printf("warning: %v", err)
	}
	srv := server.New(policy, server.Options{
		Version: version,
		Runner:  runner,
		Proxy:   px,
		Audit:   audit.Open(policy.AuditLog()),
	})
	return &engine{server: srv, runner: runner, proxy: px}, nil
}

func serveStdio(ctx context.Context) error {
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	defer e.Close()
	srv := e.server
	if err := srv.MCP().Run(ctx, &mcp.StdioTransport{}); err != nil && ctx.Err() == nil {
		return fmt.Errorf("serve stdio: %w", err)
	}
	return nil
}
