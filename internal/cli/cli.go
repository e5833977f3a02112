// Package cli is mcp-conductor's command line: the headless faces (--stdio,
// --http), the management commands (deno, clients, register, unregister),
// their help, and their reports and progress output. The program's main
// package only hands it the arguments.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

// Options are what the program gives the command line.
type Options struct {
	// Version is the program's version (set at build time).
	Version string
	// Desktop starts the desktop app: what plain `mcp-conductor` does. Nil
	// in builds without it.
	Desktop func(ctx context.Context, o DesktopOptions) error
}

// DesktopOptions are how the command line asks the desktop app to start.
type DesktopOptions struct {
	// StartHidden starts with the window hidden, in the tray
	// (`mcp-conductor --start-hidden`, what a login item runs).
	StartHidden bool
}

// version is the program's version, for the commands that report it.
var version = "0.1.0-dev"

// desktop is Options.Desktop.
var desktop func(ctx context.Context, o DesktopOptions) error

// errNoDesktop is what plain `mcp-conductor` says in a build without the
// desktop app.
var errNoDesktop = errors.New("this binary was built without the desktop UI; build with -tags desktop,production,webkit2_41 (see docs/gui.md), or run `mcp-conductor help` for the headless commands")

// command is a headless sub-command such as "deno" or "clients".
type command struct {
	summary string
	// help returns the command's full help: usage lines, what it does, its
	// flags. `mcp-conductor help NAME` and `NAME --help` print it.
	help func() string
	run  func(ctx context.Context, args []string) error
}

// commands holds the sub-commands; files beside this one register theirs in init.
var commands = map[string]command{}

// Commands lists the sub-commands' names, sorted.
func Commands() []string { return slices.Sorted(maps.Keys(commands)) }

// errHelp is returned by a command asked for its help (-h, --help); run
// then prints the command's help on stdout and exits 0.
var errHelp = flag.ErrHelp

// Main runs the command line for args (without the program name) and
// returns the exit status, having printed any error as one line on stderr.
func Main(ctx context.Context, args []string, opts Options) int {
	if opts.Version != "" {
		version = opts.Version
	}
	desktop = opts.Desktop
	if err := run(ctx, args); err != nil {
		fmt.Fprintln(os.Stderr, "mcp-conductor:", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "--start-hidden" {
		if desktop == nil {
			return errNoDesktop
		}
		if len(args) > 1 {
			return fmt.Errorf("%s takes no arguments, got %q; see `mcp-conductor help`", args[0], args[1])
		}
		return desktop(ctx, DesktopOptions{StartHidden: len(args) == 1})
	}
	switch args[0] {
	case "--stdio", "stdio":
		if len(args) > 1 {
			return fmt.Errorf("%s takes no arguments, got %q; see `mcp-conductor help`", args[0], args[1])
		}
		return serveStdio(ctx)
	case "--http", "http":
		addr := ""
		if len(args) > 1 {
			addr = args[1]
		}
		switch {
		case strings.HasPrefix(addr, "-"):
			return fmt.Errorf("%s takes an address such as 127.0.0.1:47813, not %q; see `mcp-conductor help`", args[0], addr)
		case len(args) > 2:
			return fmt.Errorf("%s takes one address, got also %q; see `mcp-conductor help`", args[0], args[2])
		}
		return serveHTTP(ctx, addr)
	case "--help", "-h", "help":
		if len(args) > 1 {
			return printCommandHelp(os.Stdout, args[1])
		}
		printHelp(os.Stdout)
		return nil
	case "--version", "-v", "version":
		if len(args) > 1 {
			return fmt.Errorf("%s takes no arguments, got %q", args[0], args[1])
		}
		fmt.Println("mcp-conductor", version)
		return nil
	}
	if c, ok := commands[args[0]]; ok {
		err := c.run(ctx, args[1:])
		if errors.Is(err, errHelp) {
			fmt.Fprint(os.Stdout, c.help())
			return nil
		}
		return err
	}
	printHelp(os.Stderr)
	what := "command"
	if strings.HasPrefix(args[0], "-") {
		what = "flag"
	}
	return fmt.Errorf("unknown %s %q; the help above lists them", what, args[0])
}

func printCommandHelp(w io.Writer, name string) error {
	c, ok := commands[name]
	if !ok {
		return fmt.Errorf("no command %q; run `mcp-conductor help` for the list", name)
	}
	fmt.Fprint(w, c.help())
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `mcp-conductor — run AI-written TypeScript/JavaScript in a Deno sandbox, over MCP.

Usage:
  mcp-conductor              start the desktop app (window and tray icon)
  mcp-conductor --start-hidden
                             start it in the tray, window hidden (what the login item runs)
  mcp-conductor --stdio      serve MCP over stdin/stdout (what MCP clients launch)
  mcp-conductor --http [ADDR]
                             serve MCP over streamable HTTP on loopback (default
                             127.0.0.1:47813), bearer token in ~/.mcp-conductor/http-token
  mcp-conductor --version    print the version
  mcp-conductor help [COMMAND]
                             print this help, or a command's (also: COMMAND --help)

Commands:
`)
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  mcp-conductor %-11s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, `
The administrator configures the sandbox with environment variables
(MCP_CONDUCTOR_*); see README.md. The code's author (the model) cannot widen it.
`)
}

// newFlags returns a flag set that prints nothing itself: errors come back
// as one line, and -h/--help as errHelp.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("register cursor --dry-run"). A flag error names the command
// whose help lists the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, fmt.Errorf("%s: %v; see `mcp-conductor %s --help`", fs.Name(), err, strings.Fields(fs.Name())[0])
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
