package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func init() {
	commands["clients"] = command{"show which MCP clients know mcp-conductor (also: links, repair, backups, restore)", clientsHelp, runClients}
	commands["register"] = command{"add mcp-conductor to an MCP client's configuration", registerHelp, runRegister}
	commands["unregister"] = command{"remove mcp-conductor from an MCP client's configuration", unregisterHelp, runUnregister}
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

func isHelp(args []string) bool {
	return len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help")
}

func runClients(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "links":
			if len(args) > 1 {
				if isHelp(args[1:]) {
					return errHelp
				}
				return fmt.Errorf("clients links takes no arguments, got %q", args[1])
			}
			return runLinks()
		case "repair":
			err := runRegisterLike(ctx, "repair", args[1:])
			if err == errHelp {
				fmt.Print(registerHelp())
				return nil
			}
			return err
		case "backups":
			return runBackups(args[1:])
		case "restore":
			return runRestore(ctx, args[1:])
		}
	}
	fs := newFlags("clients")
	project := fs.String("project", "", "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("no clients command %q; choose links, repair, backups or restore (see `mcp-conductor clients --help`)", pos[0])
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
		for _, pl := range statusPlaces(c, opts) {
			o := opts
			o.Place = pl
			st := c.Status(want, o)
			id, state := c.ID, st.State.String()
			if pl != "" {
				id += " (" + pl + ")"
			}
			if len(st.Differs) > 0 {
				state += " (" + strings.Join(st.Differs, ", ") + ")"
			}
			switch {
			case st.Reason != "":
				notes = append(notes, fmt.Sprintf("%s: the entry is %s: %s", c.Name, st.State, reasonAndFix(c, st)))
			case st.State == clients.Drifted:
				notes = append(notes, fmt.Sprintf("%s: run `mcp-conductor clients repair %s` to rewrite the entry", c.Name, c.ID))
			case st.State == clients.Unreadable:
				notes = append(notes, fmt.Sprintf("%s: %v", c.Name, st.Err))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", id, state, st.Path)
		}
	}
	tw.Flush()
	for _, n := range notes {
		fmt.Println(n)
	}
	fmt.Println("\nRegister with `mcp-conductor register <client>`; one-click links: `mcp-conductor clients links`.")
	return nil
}

// statusPlaces are the places `clients` shows a row for: "" for a client
// with one place; for Cline, each installed place (the first if none).
func statusPlaces(c clients.Client, opts clients.Options) []string {
	if len(c.Places()) < 2 || opts.ProjectDir != "" {
		return []string{""}
	}
	if in := c.InstalledPlaces(opts); len(in) > 0 {
		return in
	}
	return []string{c.Places()[0].Name}
}

func runRegister(ctx context.Context, args []string) error {
	return runRegisterLike(ctx, "register", args)
}

func runLinks() error {
	e, _, err := wantedEntry(true) // the commands run the launcher: put it there
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
	if isHelp(args) {
		return errHelp
	}
	if len(args) != 1 {
		return fmt.Errorf("usage: mcp-conductor clients backups <client>; see `mcp-conductor clients --help`")
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
	if isHelp(args) {
		return errHelp
	}
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("usage: mcp-conductor clients restore <client> [backup] (newest if omitted; list with `clients backups <client>`)")
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

func clientsHelp() string {
	return `Usage:
  mcp-conductor clients [--project DIR]           status of every client: its state and file
  mcp-conductor clients links                     Cursor and VS Code install links; the
                                                  claude mcp add and codex mcp add commands
  mcp-conductor clients repair <client> [FLAGS]   rewrite an entry someone changed (the flags
                                                  of register; see mcp-conductor register --help)
  mcp-conductor clients backups <client>          list the client's backups, newest first
  mcp-conductor clients restore <client> [NAME]   put a backup back (the newest without NAME);
                                                  the file it replaces is backed up first

Flags:
  --project DIR   show the per-project files in DIR instead of the user's

States: not installed, installed (no entry), registered, registered-but-different
(FIELDS), disabled (the client switched the entry off, or Gemini's folder is not
trusted), blocked (a client policy such as mcp.allowed keeps it off), unreadable.

` + clientList()
}

// clientList is the table of client IDs the help pages end with.
func clientList() string {
	var b strings.Builder
	b.WriteString("Clients (ID, name, what applies):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, c := range clients.All() {
		var notes []string
		if c.ProjectScope {
			notes = append(notes, "--project")
		}
		if !c.HTTP {
			notes = append(notes, "no --url")
		}
		if ps := c.Places(); len(ps) > 1 {
			for _, p := range ps {
				notes = append(notes, "--force="+p.Name+": "+p.Label)
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.ID, c.Name, strings.Join(notes, "; "))
	}
	tw.Flush()
	lines := strings.Split(b.String(), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

func report(w io.Writer, c clients.Client, ch *clients.Change, dryRun bool, did, nothing string) {
	switch {
	case dryRun && ch.Changed():
		fmt.Fprint(w, ch.Diff())
		if ch.Removed {
			fmt.Fprintf(w, "(would delete %s: mcp-conductor created it and nothing else is left)\n", ch.Path)
		}
		fmt.Fprintln(w, "(dry run: nothing written)")
	case !ch.Changed():
		fmt.Fprintf(w, "mcp-conductor is %s %s (%s); nothing to do\n", nothing, c.Name, ch.Path)
	default:
		fmt.Fprintf(w, "mcp-conductor %s %s (%s)\n", did, c.Name, ch.Path)
		if ch.Removed {
			fmt.Fprintf(w, "deleted %s: mcp-conductor had created it and nothing else was left\n", ch.Path)
		}
		if ch.Backup != "" {
			fmt.Fprintf(w, "backup: %s (undo with `mcp-conductor clients restore %s`)\n", ch.Backup, c.ID)
		}
		fmt.Fprintf(w, "restart %s to apply it\n", c.Name)
	}
}

// reasonAndFix is why a Disabled or Blocked entry does not start, and how
// to turn it back on when register does.
func reasonAndFix(c clients.Client, st clients.Status) string {
	if st.Reenable {
		return st.Reason + "; `mcp-conductor register " + c.ID + "` turns it back on"
	}
	return st.Reason
}
