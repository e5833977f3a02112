package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

func init() {
	commands["python"] = command{"show or install the Python runtime, Pyodide (status, install)", pythonHelp, runPython}
}

const pythonUsage = `Usage:
  mcp-conductor python [status]   whether run_python_code is on, and the Pyodide runtime it uses
  mcp-conductor python install [--registry URL]
                                  download Pyodide ` + deno.PyodideVersion + ` from the npm registry into
                                  ~/.mcp-conductor/cache/python/pyodide
`

func pythonHelp() string {
	return pythonUsage + `
Flags of install:
  --registry URL   the npm registry (default: the npm configuration, as for
                   ` + "`deno install --source npm`" + `)

The download is checked against the registry's sha512 integrity and installed
only once verified. Turn Python off with MCP_CONDUCTOR_PYTHON=0; run it on
another copy of Pyodide with MCP_CONDUCTOR_PYODIDE=<folder>.
`
}

func runPython(ctx context.Context, args []string) error {
	if len(args) == 0 {
		args = []string{"status"}
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		return errHelp
	}
	switch args[0] {
	case "status":
		if len(args) > 1 {
			return fmt.Errorf("python status takes no arguments, got %q; see `mcp-conductor python --help`", args[1])
		}
		return pythonStatus(os.Stdout)
	case "install":
		return pythonInstall(ctx, args[1:])
	}
	return fmt.Errorf("unknown python command %q; choose status or install (see `mcp-conductor python --help`)", args[0])
}

func pythonStatus(w io.Writer) error {
	p, err := config.FromEnv()
	if err != nil {
		return err
	}
	v := deno.PyodidePackageVersion(p.Pyodide)
	switch {
	case !p.Python:
		fmt.Fprintf(w, "python: off (turned off by the administrator)\n")
	case v == "":
		fmt.Fprintf(w, "python: off (no Pyodide runtime at %s; run `mcp-conductor python install`)\n", p.Pyodide)
	default:
		fmt.Fprintf(w, "python: on\n")
	}
	if v != "" {
		fmt.Fprintf(w, "  pyodide: %s\n  path:    %s\n", v, p.Pyodide)
	}
	fmt.Fprintf(w, "  pool:    %d interpreter(s) kept booted after the first Python call\n", p.PythonPoolSize)
	return nil
}

func pythonInstall(ctx context.Context, args []string) error {
	fs := newFlags("python install")
	registry := fs.String("registry", "", "the npm registry `URL` (default: the npm configuration)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("python install takes no arguments, got %q; see `mcp-conductor python --help`", pos[0])
	}
	home, err := config.HomeDir()
	if err != nil {
		return err
	}
	if err := clients.EnsureHome(home); err != nil {
		return err
	}
	bar := &progressBar{w: os.Stderr, tty: isTerminal(os.Stderr)}
	dir, v, err := deno.InstallPyodide(ctx, deno.PyodideOptions{Home: home, Registry: *registry, Progress: bar.show})
	bar.end()
	if err != nil {
		return err
	}
	fmt.Printf("installed pyodide %s at %s\n", v, dir)
	return nil
}
