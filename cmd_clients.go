package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func init() {
	commands["clients"] = command{"show which MCP clients know mcp-conductor (also: links, repair, backups, restore)", runClients}
	commands["register"] = command{"add mcp-conductor to an MCP client's configuration", runRegister}
	commands["unregister"] = command{"remove mcp-conductor from an MCP client's configuration", runUnregister}
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("register cursor --dry-run").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// wantedEntry is the entry this process would register: the stable launcher
// with --stdio and the MCP_CONDUCTOR_* settings of this environment.
func wantedEntry(install bool) (clients.Entry, string, error) {
	home, err := config.HomeDir()
	if err != nil {
		return clients.Entry{}, "", err
	}
	launcher := clients.LauncherPath(home)
	if install {
		exe, err := os.Executable()
		if err != nil {
			return clients.Entry{}, "", fmt.Errorf("find this program: %w", err)
		}
		if launcher, err = clients.InstallLauncher(home, exe); err != nil {
			return clients.Entry{}, "", err
		}
	}
	return clients.StdioEntry(launcher, clients.ConductorEnv(os.Environ())), home, nil
}

func runClients(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "links":
			return runLinks()
		case "repair":
			return runRegisterLike(ctx, "repair", args[1:])
		case "backups":
			return runBackups(args[1:])
		case "restore":
			return runRestore(ctx, args[1:])
		}
	}
	fs := flag.NewFlagSet("clients", flag.ContinueOnError)
	project := fs.String("project", "", "show the per-project files in `DIR`")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	want, _, err := wantedEntry(false)
	if err != nil {
		return err
	}
	opts := clients.Options{ProjectDir: *project}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT\tSTATE\tCONFIG FILE")
	var notes []string
	for _, c := range clients.All() {
		if *project != "" && !c.ProjectScope {
			continue
		}
		st := c.Status(want, opts)
		state := st.State.String()
		switch st.State {
		case clients.Drifted:
			state += " (" + strings.Join(st.Differs, ", ") + ")"
			notes = append(notes, fmt.Sprintf("%s: run `mcp-conductor clients repair %s` to rewrite the entry", c.Name, c.ID))
		case clients.Unreadable:
			notes = append(notes, fmt.Sprintf("%s: %v", c.Name, st.Err))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID, state, st.Path)
	}
	tw.Flush()
	for _, n := range notes {
		fmt.Println(n)
	}
	fmt.Println("\nRegister with `mcp-conductor register <client>`; one-click links: `mcp-conductor clients links`.")
	return nil
}

func runRegister(ctx context.Context, args []string) error {
	return runRegisterLike(ctx, "register", args)
}

func runRegisterLike(ctx context.Context, verb string, args []string) error {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	project := fs.String("project", "", "edit the client's per-project file in `DIR`")
	dryRun := fs.Bool("dry-run", false, "print the change as a unified diff; write nothing")
	force := fs.Bool("force", false, "register even if the client does not seem installed")
	url := fs.String("url", "", "register the HTTP form: the conductor's Streamable HTTP `URL`")
	token := fs.String("token", "", "with --url: bearer `TOKEN` sent as the Authorization header")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: mcp-conductor %s <client> [--project DIR] [--dry-run] [--force] [--url URL [--token T]]", verb)
	}
	c, err := clients.Find(pos[0])
	if err != nil {
		return err
	}
	var e clients.Entry
	if *url != "" {
		e = clients.HTTPEntry(*url, *token)
	} else if e, _, err = wantedEntry(!*dryRun); err != nil {
		return err
	}
	opts := clients.Options{ProjectDir: *project, DryRun: *dryRun, Force: *force}
	ch, err := c.Register(ctx, e, opts)
	if err != nil {
		return err
	}
	return report(os.Stdout, c, ch, *dryRun, "registered in", "already registered in")
}

func runUnregister(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("unregister", flag.ContinueOnError)
	project := fs.String("project", "", "edit the client's per-project file in `DIR`")
	dryRun := fs.Bool("dry-run", false, "print the change as a unified diff; write nothing")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: mcp-conductor unregister <client> [--project DIR] [--dry-run]")
	}
	c, err := clients.Find(pos[0])
	if err != nil {
		return err
	}
	ch, err := c.Unregister(ctx, clients.Options{ProjectDir: *project, DryRun: *dryRun})
	if err != nil {
		return err
	}
	return report(os.Stdout, c, ch, *dryRun, "removed from", "not registered in")
}

func report(w io.Writer, c clients.Client, ch *clients.Change, dryRun bool, did, nothing string) error {
	switch {
	case dryRun && ch.Changed():
		fmt.Fprint(w, ch.Diff())
		fmt.Fprintln(w, "(dry run: nothing written)")
	case !ch.Changed():
		fmt.Fprintf(w, "mcp-conductor is %s %s (%s); nothing to do\n", nothing, c.Name, ch.Path)
	default:
		fmt.Fprintf(w, "mcp-conductor %s %s (%s)\n", did, c.Name, ch.Path)
		if ch.Backup != "" {
			fmt.Fprintf(w, "backup: %s (undo with `mcp-conductor clients restore %s`)\n", ch.Backup, c.ID)
		}
		fmt.Fprintf(w, "restart %s to apply it\n", c.Name)
	}
	return nil
}

func runLinks() error {
	e, _, err := wantedEntry(false)
	if err != nil {
		return err
	}
	links, err := clients.Links(e)
	if err != nil {
		return err
	}
	for _, l := range links {
		fmt.Printf("%s:\n  %s\n", l.Label, l.Value)
	}
	return nil
}

func runBackups(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: mcp-conductor clients backups <client>")
	}
	c, err := clients.Find(args[0])
	if err != nil {
		return err
	}
	list, err := c.Backups(clients.Options{})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Printf("no backups of %s yet\n", c.Name)
	}
	for _, b := range list {
		fmt.Printf("%s  %s  (of %s)\n", b.Name, b.Time.Local().Format("2006-01-02 15:04:05"), b.Original)
	}
	return nil
}

func runRestore(ctx context.Context, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return errors.New("usage: mcp-conductor clients restore <client> [backup]  (newest if omitted; list with `clients backups <client>`)")
	}
	c, err := clients.Find(args[0])
	if err != nil {
		return err
	}
	name := ""
	if len(args) == 2 {
		name = args[1]
	}
	b, err := c.Restore(ctx, name, clients.Options{})
	if err != nil {
		return err
	}
	fmt.Printf("restored %s from %s\nrestart %s to apply it\n", b.Original, b.Name, c.Name)
	return nil
}
