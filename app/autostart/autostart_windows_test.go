package autostart

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/sys/windows"
)

// The login item round-trips through the real registry (HKCU's Run key),
// under a name of its own that the test removes, so a developer's own
// login items are never touched.
func TestRunKeyRoundTrip(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "my apps", "mcp-conductor.exe")
	name := fmt.Sprintf("MCP Conductor test %d", os.Getpid())
	it, err := ForPlatform("mcp-conductor", name, "test", []string{exe, "--start-hidden"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { setRunKey(name, nil, false) })
	if it.Format != RunKey {
		t.Fatalf("format = %d, want RunKey", it.Format)
	}
	mustEnabled(t, it, false)
	if err := it.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, it, true)
	if err := it.SetEnabled(true); err != nil {
		t.Fatalf("enabling twice: %v", err)
	}
	if err := it.SetEnabled(false); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, it, false)
	if err := it.SetEnabled(false); err != nil {
		t.Fatalf("disabling an absent item: %v", err)
	}
}

// The command line splits back into the program and its arguments, spaces,
// quotes and trailing backslashes included, as Windows' parser reads it at
// login; a program path with a quote (no Windows file has one) is refused.
func TestRunCommandQuoting(t *testing.T) {
	for _, argv := range [][]string{
		{`C:\Program Files\MCP Conductor\mcp-conductor.exe`, "--start-hidden"},
		{`C:\x\mcp-conductor.exe`},
		{`C:\a b\c.exe`, `say "hi"`, `tail\`, `C:\dir with space\`},
	} {
		line, err := runCommand(argv)
		if err != nil {
			t.Fatalf("runCommand(%q): %v", argv, err)
		}
		got, err := windows.DecomposeCommandLine(line)
		if err != nil || !slices.Equal(got, argv) {
			t.Errorf("runCommand(%q) = %s, which splits into %q (%v)", argv, line, got, err)
		}
	}
	for _, argv := range [][]string{nil, {`C:\a "b"\c.exe`}} {
		if line, err := runCommand(argv); err == nil {
			t.Errorf("runCommand(%q) = %s, want an error", argv, line)
		}
	}
}

func TestRunKeyRefusesAnEnvironment(t *testing.T) {
	if _, err := ForPlatform("x", "X", "", []string{`C:\x.exe`}, map[string]string{"A": "1"}); err == nil {
		t.Fatal("ForPlatform accepted an environment the Run key cannot carry")
	}
}
