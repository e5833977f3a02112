// Command mcp-conductor runs LLM-written TypeScript/JavaScript in a sandboxed
// Deno subprocess and serves it to AI agents over MCP.
//
// Faces:
//
//	mcp-conductor --stdio        MCP server over stdin/stdout (what IDEs launch)
//	mcp-conductor <command> ...  headless management commands (see --help)
package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// command is a headless sub-command such as "deno" or "clients".
type command struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

// commands holds the sub-commands; files beside this one register theirs in init.
var commands = map[string]command{}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mcp-conductor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return runDefault(ctx)
	}
	switch args[0] {
	case "--stdio", "stdio":
		return serveStdio(ctx)
	case "--http", "http":
		addr := ""
		if len(args) > 1 {
			addr = args[1]
		}
		return serveHTTP(ctx, addr)
	case "--help", "-h", "help":
		printHelp()
		return nil
	case "--version", "-v", "version":
		fmt.Println("mcp-conductor", version)
		return nil
	}
	if c, ok := commands[args[0]]; ok {
		return c.run(ctx, args[1:])
	}
	printHelp()
	return fmt.Errorf("unknown command %q", args[0])
}

func printHelp() {
	fmt.Print(`mcp-conductor — run AI-written TypeScript/JavaScript in a Deno sandbox, over MCP.

Usage:
  mcp-conductor              start the desktop app (window and tray icon)
  mcp-conductor --stdio      serve MCP over stdin/stdout (what MCP clients launch)
  mcp-conductor --http [ADDR]
                             serve MCP over streamable HTTP on loopback (default
                             127.0.0.1:47813), bearer token in ~/.mcp-conductor/http-token
  mcp-conductor --version    print the version
  mcp-conductor --help       print this help
`)
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Printf("  mcp-conductor %-11s %s\n", n, commands[n].summary)
	}
	fmt.Print(`
The administrator configures the sandbox with environment variables
(MCP_CONDUCTOR_*); see README.md. The code's author (the model) cannot widen it.
`)
}
