package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

func init() {
	commands["deno"] = command{"show or install the Deno runtime (status, install, rollback)", denoHelp, runDeno}
}

const denoUsage = `Usage:
  mcp-conductor deno [status]     which deno the sandbox uses, its version, where it was found
  mcp-conductor deno install [--version vX.Y.Z] [--source github|npm] [--base-url URL]
                                  download deno into ~/.mcp-conductor/runtime and make it current
  mcp-conductor deno rollback     make the previously installed version current again
`

func denoHelp() string {
	return denoUsage + `
Flags of install:
  --version vX.Y.Z   install this version instead of the latest release
  --source SOURCE    github (default: the release zip, dl.deno.land as fallback)
                     or npm (the registry's @deno/<platform> package)
  --base-url URL     github: a mirror laid out like https://dl.deno.land;
                     npm: the registry (default: the npm configuration)

Deno is looked for in $MCP_CONDUCTOR_DENO, the installed runtime, ~/.deno/bin,
PATH and package-manager folders; see docs/runtime-and-clients.md.
`
}

func runDeno(ctx context.Context, args []string) error {
	if len(args) == 0 {
		args = []string{"status"}
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		return errHelp
	}
	if args[0] != "install" && len(args) > 1 {
		if args[1] == "-h" || args[1] == "--help" {
			return errHelp
		}
		return fmt.Errorf("deno %s takes no arguments, got %q; see `mcp-conductor deno --help`", args[0], args[1])
	}
	switch args[0] {
	case "status":
		return denoStatus(ctx, os.Stdout)
	case "install":
		return denoInstall(ctx, args[1:])
	case "rollback":
		home, err := config.HomeDir()
		if err != nil {
			return err
		}
		rt, err := deno.Rollback(ctx, home)
		if err != nil {
			return err
		}
		fmt.Printf("now using deno %s (%s)\n", rt.Version, rt.Path)
		return nil
	}
	return fmt.Errorf("unknown deno command %q; choose status, install or rollback (see `mcp-conductor deno --help`)", args[0])
}

func denoStatus(ctx context.Context, w io.Writer) error {
	rt, err := deno.Locate(ctx, deno.LocateOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "deno %s\n  path:  %s\n  found: %s\n", rt.Version, rt.Path, rt.Source)
	return nil
}

func denoInstall(ctx context.Context, args []string) error {
	fs := newFlags("deno install")
	version := fs.String("version", "", "install `vX.Y.Z` instead of the latest release")
	source := fs.String("source", "github", "download from `github` (release zip, dl.deno.land fallback) or npm (registry package)")
	baseURL := fs.String("base-url", "", "github: a mirror laid out like https://dl.deno.land; npm: the registry `URL`")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("deno install takes no arguments, got %q; see `mcp-conductor deno --help`", pos[0])
	}
	home, err := config.HomeDir()
	if err != nil {
		return err
	}
	if err := clients.EnsureHome(home); err != nil { // 0700, as the server makes it
		return err
	}
	bar := &progressBar{w: os.Stderr, tty: isTerminal(os.Stderr)}
	rt, err := deno.Install(ctx, deno.InstallOptions{
		Version:  *version,
		Source:   deno.Source(*source),
		BaseURL:  *baseURL,
		Progress: bar.show,
	})
	bar.end()
	if err != nil {
		return err
	}
	fmt.Printf("installed deno %s at %s\n", rt.Version, rt.Path)
	return nil
}

// progressBar renders Progress events: one updating line on a terminal,
// a line per phase otherwise (logs, pipes).
type progressBar struct {
	w       io.Writer
	tty     bool
	phase   string
	drawn   bool
	lastLog time.Time
}

func (b *progressBar) show(p deno.Progress) {
	if p.Phase != b.phase {
		b.end()
		b.phase = p.Phase
		if p.Phase != "download" && p.Phase != "done" {
			fmt.Fprintf(b.w, "%s...\n", p.Phase)
		} else if p.Phase == "download" {
			fmt.Fprintf(b.w, "downloading %s\n", p.URL)
		}
	}
	if p.Phase != "download" {
		return
	}
	line := fmt.Sprintf("  %s", mib(p.Done))
	if p.Total > 0 {
		line += fmt.Sprintf(" / %s (%3.0f%%)", mib(p.Total), p.Percent())
	}
	line += fmt.Sprintf("  %s/s", mib(int64(p.BytesPerSecond)))
	if b.tty {
		fmt.Fprintf(b.w, "\r%-60s", line)
		b.drawn = true
	} else if time.Since(b.lastLog) > 5*time.Second || p.Done == p.Total {
		b.lastLog = time.Now()
		fmt.Fprintln(b.w, strings.TrimSpace(line))
	}
}

func (b *progressBar) end() {
	if b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
