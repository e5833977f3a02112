package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

func TestParseInterleaved(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		pos     []string
		dry     bool
		wantErr string
	}{
		{[]string{"cursor", "--dry-run"}, []string{"cursor"}, true, ""},
		{[]string{"--dry-run", "cursor", "zed"}, []string{"cursor", "zed"}, true, ""},
		{[]string{"cursor"}, []string{"cursor"}, false, ""},
		{[]string{"cursor", "--bogus"}, nil, false, "bogus"},
	} {
		fs := newFlags("register")
		dry := fs.Bool("dry-run", false, "")
		pos, err := parseInterleaved(fs, tt.args)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err = %v, want one naming %s", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(pos, tt.pos) || *dry != tt.dry {
			t.Errorf("%q: %q dry=%v %v; want %q dry=%v", tt.args, pos, *dry, err, tt.pos, tt.dry)
		}
	}
	fs := newFlags("register")
	if _, err := parseInterleaved(fs, []string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	if len(Commands()) < 4 {
		t.Fatalf("commands: %v", Commands())
	}
	var top bytes.Buffer
	printHelp(&top)
	for _, name := range Commands() {
		c := commands[name]
		if c.summary == "" || !strings.HasPrefix(c.help(), "Usage:") || !strings.Contains(top.String(), "mcp-conductor "+name) {
			t.Errorf("%s: summary %q, help %q", name, c.summary, c.help())
		}
	}
	if err := printCommandHelp(&bytes.Buffer{}, "nope"); err == nil {
		t.Error("help for an unknown command")
	}
}

func TestRunRefusesUnknownAndExtraArguments(t *testing.T) {
	for _, args := range [][]string{{"--stdio", "--bogus"}, {"--http", "--x"}, {"--version", "x"}, {"frobnicate"}} {
		if err := run(context.Background(), args); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	desktop = nil
	if err := run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "-tags desktop,production,webkit2_41") {
		t.Errorf("no desktop: %v", err)
	}
}

func TestDesktopStartHidden(t *testing.T) {
	t.Cleanup(func() { desktop = nil })
	for _, tt := range []struct {
		args    []string
		hidden  bool
		refused bool
	}{
		{nil, false, false},
		{[]string{"--start-hidden"}, true, false},
		{[]string{"--start-hidden", "x"}, false, true},
	} {
		var got *DesktopOptions
		desktop = func(_ context.Context, o DesktopOptions) error { got = &o; return nil }
		err := run(context.Background(), tt.args)
		switch {
		case tt.refused && (err == nil || got != nil):
			t.Errorf("%q: started the app (err %v)", tt.args, err)
		case !tt.refused && (err != nil || got == nil || got.StartHidden != tt.hidden):
			t.Errorf("%q: err %v, options %+v, want StartHidden %v", tt.args, err, got, tt.hidden)
		}
	}
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	b := &progressBar{w: &out}
	b.show(deno.Progress{Phase: "download", URL: "https://example/deno.zip", Done: 0, Total: 40 << 20})
	b.show(deno.Progress{Phase: "download", Done: 40 << 20, Total: 40 << 20, BytesPerSecond: 10 << 20})
	b.show(deno.Progress{Phase: "verify"})
	b.end()
	got := out.String()
	for _, want := range []string{"downloading https://example/deno.zip", "40.0 MiB / 40.0 MiB (100%)", "10.0 MiB/s", "verify..."} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output lacks %q:\n%s", want, got)
		}
	}
	// On a terminal the line is redrawn in place and ended once.
	out.Reset()
	b = &progressBar{w: &out, tty: true}
	b.show(deno.Progress{Phase: "download", Done: 1 << 20, Total: 2 << 20})
	b.show(deno.Progress{Phase: "download", Done: 2 << 20, Total: 2 << 20})
	b.end()
	if strings.Count(out.String(), "\r") != 2 || !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("terminal output %q", out.String())
	}
}

func TestReport(t *testing.T) {
	c, _ := clients.Find("cursor")
	for _, tt := range []struct {
		ch   clients.Change
		dry  bool
		want []string
	}{
		{clients.Change{Path: "/h/.cursor/mcp.json", Before: []byte("{}"), After: []byte(`{"a":1}`), Backup: "/b/1"}, false,
			[]string{"registered in Cursor (/h/.cursor/mcp.json)", "backup: /b/1", "clients restore cursor", "restart Cursor"}},
		{clients.Change{Path: "/h/.cursor/mcp.json", Before: []byte("{}"), After: []byte("{}")}, false, []string{"already registered in Cursor", "nothing to do"}},
		{clients.Change{Path: "/h/.cursor/mcp.json", Before: []byte("{}\n"), After: []byte("{\"a\":1}\n")}, true, []string{"(dry run: nothing written)", "+{\"a\":1}"}},
	} {
		var out bytes.Buffer
		report(&out, c, &tt.ch, tt.dry, "registered in", "already registered in")
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("report lacks %q:\n%s", w, out.String())
			}
		}
	}
}
