package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// forceFlag is --force (a bool) or --force=PLACE, which also names one of a
// client's places (Cline: extension or cli).
type forceFlag struct {
	on    bool
	place string
}

func (f *forceFlag) IsBoolFlag() bool { return true }
func (f *forceFlag) String() string   { return f.place }
func (f *forceFlag) Set(v string) error {
	switch v {
	case "true":
		f.on, f.place = true, ""
	case "false":
		f.on, f.place = false, ""
	default:
		f.on, f.place = true, v
	}
	return nil
}

func registerHelp() string {
	return `Usage:
  mcp-conductor register <client> [--project DIR] [--dry-run] [--force[=PLACE]] [--url URL [--token T]]
  mcp-conductor clients repair <client> [the same flags]

Adds the mcp-conductor entry to the client's configuration file, or updates it
in place: only that entry changes, a backup is taken first, and the write is
atomic. The entry runs ~/.mcp-conductor/bin/mcp-conductor --stdio (a copy of
this program) with the MCP_CONDUCTOR_* variables of this shell. An entry the
client switched off ("disabled": true, "enabled": false) is switched on again.
Restart the client to apply it.

Flags:
  --project DIR    edit the client's per-project file in DIR instead of the user's
  --dry-run        print the change as a unified diff; write nothing
  --force          register even if the client does not seem to be installed
  --force=PLACE    for a client with several places (Cline), name the one to
                   write: extension or cli; without it, every installed one
  --url URL        register the HTTP form: the Streamable HTTP endpoint at URL
                   (see mcp-conductor --http) instead of the command
  --token T        with --url: the bearer token sent as the Authorization header;
                   default: ~/.mcp-conductor/http-token, for a loopback URL

` + clientList()
}

func unregisterHelp() string {
	return `Usage:
  mcp-conductor unregister <client> [--project DIR] [--dry-run]

Removes the mcp-conductor entry from the client's configuration file; other
servers stay. A file that register created is deleted when nothing but an empty
server list would be left. For Cline, both the extension's and the CLI's files.

Flags:
  --project DIR   edit the client's per-project file in DIR instead of the user's
  --dry-run       print the change as a unified diff; write nothing

` + clientList()
}

func runRegisterLike(ctx context.Context, verb string, args []string) error {
	name := verb
	if verb == "repair" {
		name = "clients repair"
	}
	fs := newFlags(name)
	project := fs.String("project", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	var force forceFlag
	fs.Var(&force, "force", "")
	rawURL := fs.String("url", "", "")
	token := fs.String("token", "", "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%s needs one client, got %d; see `mcp-conductor register --help`", verb, len(pos))
	}
	c, err := clients.Find(pos[0])
	if err != nil {
		return err
	}
	tokenSet := false
	fs.Visit(func(f *flag.Flag) { tokenSet = tokenSet || f.Name == "token" })
	var e clients.Entry
	if *rawURL != "" {
		if e, err = httpEntry(*rawURL, *token, tokenSet); err != nil {
			return err
		}
	} else {
		if tokenSet {
			return errors.New("--token goes with --url; the command form needs no token")
		}
		if e, _, err = wantedEntry(!*dryRun); err != nil {
			return err
		}
	}
	base := clients.Options{ProjectDir: *project, DryRun: *dryRun, Force: force.on, Place: force.place}
	places, err := registerPlaces(c, base)
	if err != nil {
		return err
	}
	for _, pl := range places {
		opts := base
		opts.Place = pl
		before := c.Status(e, opts)
		ch, err := c.Register(ctx, e, opts)
		if err != nil {
			return err
		}
		report(os.Stdout, c, ch, *dryRun, "registered in", "already registered in")
		if *dryRun {
			continue
		}
		if before.State == clients.Disabled && ch.Written {
			fmt.Printf("the entry had been switched off (%s); it is on again\n", before.Reason)
		}
		if st := c.Status(e, opts); st.State == clients.Disabled || st.State == clients.Blocked {
			fmt.Fprintf(os.Stderr, "warning: %s will not start it yet: %s\n", c.Name, reasonAndFix(c, st))
		}
	}
	if !e.IsHTTP() {
		warnNoDeno(ctx)
	}
	return nil
}

// registerPlaces returns the places to write: for a client with one place,
// that one; for Cline, the one --force names, else every installed one.
func registerPlaces(c clients.Client, opts clients.Options) ([]string, error) {
	ps := c.Places()
	if len(ps) < 2 || opts.Place != "" || opts.ProjectDir != "" {
		return []string{opts.Place}, nil
	}
	if in := c.InstalledPlaces(opts); len(in) > 0 {
		return in, nil
	}
	var names []string
	for _, p := range ps {
		names = append(names, fmt.Sprintf("--force=%s (%s)", p.Name, p.Label))
	}
	return nil, fmt.Errorf("%s does not seem to be installed; install it and start it once, or name where to write it: %s", c.Name, strings.Join(names, " or "))
}

// httpEntry is the HTTP form for --url. Without --token, a loopback URL
// (the local endpoint of `mcp-conductor --http`) gets the token from its
// token file; the token is never sent to another host.
func httpEntry(rawURL, token string, tokenSet bool) (clients.Entry, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return clients.Entry{}, fmt.Errorf("--url %q is not an http(s) URL such as http://127.0.0.1:47813/mcp", rawURL)
	}
	if tokenSet {
		if strings.TrimSpace(token) == "" {
			return clients.Entry{}, errors.New("--token is empty; the endpoint requires one (or leave --token out to use the token file)")
		}
		return clients.HTTPEntry(rawURL, token), nil
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return clients.Entry{}, fmt.Errorf("--url %s is not on this machine: pass its --token (the token file here is only for the local endpoint)", rawURL)
	}
	home, err := config.HomeDir()
	if err != nil {
		return clients.Entry{}, err
	}
	path := server.TokenPath(home)
	b, err := os.ReadFile(path)
	if t := strings.TrimSpace(string(b)); err == nil && t != "" {
		return clients.HTTPEntry(rawURL, t), nil
	}
	return clients.Entry{}, fmt.Errorf("no token for --url: %s is missing; start `mcp-conductor --http` once to create it, or pass --token T", path)
}

// warnNoDeno warns when no usable Deno is found: the entry would be
// written, but the server it starts could not run code.
func warnNoDeno(ctx context.Context) {
	if _, err := deno.Locate(ctx, deno.LocateOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, "warning: no usable Deno (2.0 or newer) was found, so the entry would fail to start; install one with `mcp-conductor deno install`, or set MCP_CONDUCTOR_DENO to a deno binary, then restart the client")
	}
}

func runUnregister(ctx context.Context, args []string) error {
	fs := newFlags("unregister")
	project := fs.String("project", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("unregister needs one client, got %d; see `mcp-conductor unregister --help`", len(pos))
	}
	c, err := clients.Find(pos[0])
	if err != nil {
		return err
	}
	places := []string{""}
	if ps := c.Places(); len(ps) > 1 && *project == "" {
		places = nil
		for _, p := range ps {
			places = append(places, p.Name)
		}
	}
	for _, pl := range places {
		ch, err := c.Unregister(ctx, clients.Options{ProjectDir: *project, DryRun: *dryRun, Place: pl})
		if err != nil {
			return err
		}
		report(os.Stdout, c, ch, *dryRun, "removed from", "not registered in")
	}
	return nil
}
