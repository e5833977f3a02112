package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/internal/cli"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// cliRun runs the built binary in a fresh home with a minimal environment
// (no Deno unless env adds one) and returns stdout, stderr and the exit code.
func cliRun(t *testing.T, home string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(testBinary(t), args...)
	cmd.Dir = home
	cmd.Env = osEnv(append([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "SHELL=", "MCP_CONDUCTOR_HOME=" + filepath.Join(home, ".mcp-conductor")}, env...))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestHelpIsCompleteAndConsistent: `help`, `help CMD` and `CMD --help` print
// on stdout, exit 0, and list what the command takes.
func TestHelpIsCompleteAndConsistent(t *testing.T) {
	home := t.TempDir()
	top, errs, code := cliRun(t, home, nil, "help")
	if code != 0 || errs != "" {
		t.Fatalf("help: exit %d, stderr %q", code, errs)
	}
	for _, name := range cli.Commands() {
		if !strings.Contains(top, "mcp-conductor "+name+" ") {
			t.Errorf("help does not list %s", name)
		}
		h1, e1, c1 := cliRun(t, home, nil, "help", name)
		h2, e2, c2 := cliRun(t, home, nil, name, "--help")
		h3, _, c3 := cliRun(t, home, nil, name, "-h")
		if c1 != 0 || c2 != 0 || c3 != 0 || e1 != "" || e2 != "" || h1 != h2 || h2 != h3 || !strings.HasPrefix(h1, "Usage:") {
			t.Errorf("%s: help exit %d/%d/%d, stderr %q %q, outputs equal: %v\n%s", name, c1, c2, c3, e1, e2, h1 == h2 && h2 == h3, h1)
		}
	}
	reg, _, _ := cliRun(t, home, nil, "register", "--help")
	for _, want := range []string{"--project", "--dry-run", "--force=PLACE", "--url", "--token", "extension", "cli"} {
		if !strings.Contains(reg, want) {
			t.Errorf("register --help lacks %q", want)
		}
	}
	for _, c := range clients.All() {
		if !strings.Contains(reg, "  "+c.ID+" ") {
			t.Errorf("register --help does not list client %s", c.ID)
		}
	}
	cl, _, _ := cliRun(t, home, nil, "clients", "--help")
	for _, sub := range []string{"clients links", "clients repair", "clients backups", "clients restore", "--project"} {
		if !strings.Contains(cl, sub) {
			t.Errorf("clients --help hides %q", sub)
		}
	}
	if rep, _, code := cliRun(t, home, nil, "clients", "repair", "--help"); code != 0 || rep != reg {
		t.Errorf("clients repair --help: exit %d, differs from register --help", code)
	}
}

func TestBadArgumentsAreOneLineOnStderr(t *testing.T) {
	home := t.TempDir()
	out, errs, code := cliRun(t, home, nil, "--bogus")
	if code != 1 || out != "" || !strings.Contains(errs, "Usage:") || !strings.HasSuffix(errs, "unknown flag \"--bogus\"; the help above lists them\n") {
		t.Errorf("--bogus: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, args := range [][]string{
		{"deno", "install", "--bogus"}, {"register", "cursor", "--bogus"}, {"clients", "--bogus"},
		{"--stdio", "--bogus"}, {"--http", "--bogus"}, {"--version", "x"}, {"deno", "status", "x"}, {"clients", "nope"},
	} {
		out, errs, code := cliRun(t, home, nil, args...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "mcp-conductor: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want one line on stderr", args, code, out, errs)
		}
	}
}

// TestRegisterClineNamesItsPlace: with nothing of Cline installed, bare
// --force cannot guess between the extension and the CLI.
func TestRegisterClineNamesItsPlace(t *testing.T) {
	home := t.TempDir()
	_, errs, code := cliRun(t, home, nil, "register", "cline", "--force")
	if code != 1 || !strings.Contains(errs, "--force=extension") || !strings.Contains(errs, "--force=cli") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	out, _, code := cliRun(t, home, nil, "register", "cline", "--force=cli")
	if code != 0 || !strings.Contains(out, filepath.Join(home, ".cline", "data", "settings", "cline_mcp_settings.json")) {
		t.Fatalf("--force=cli: exit %d: %s", code, out)
	}
	out, _, _ = cliRun(t, home, nil, "clients")
	if !strings.Contains(out, "cline (cli)") {
		t.Fatalf("clients:\n%s", out)
	}
}

func TestRegisterWarnsWithoutDeno(t *testing.T) {
	home := t.TempDir()
	_, errs, code := cliRun(t, home, nil, "register", "cursor", "--force")
	if code != 0 || !strings.Contains(errs, "no usable Deno") || !strings.Contains(errs, "mcp-conductor deno install") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestRegisterMakesThePrivateHome: register makes the conductor's home
// owner-only, as the system reports it (on Windows an access list).
func TestRegisterMakesThePrivateHome(t *testing.T) {
	home := t.TempDir()
	cliRun(t, home, nil, "register", "cursor", "--force")
	if ok, err := fsx.IsPrivate(filepath.Join(home, ".mcp-conductor")); err != nil || !ok {
		t.Fatalf("register made the conductor home: private %v, %v", ok, err)
	}
}

func TestRegisterURLTakesTheTokenFile(t *testing.T) {
	home := t.TempDir()
	_, errs, code := cliRun(t, home, nil, "register", "cursor", "--force", "--url", "http://127.0.0.1:47813/mcp")
	if code != 1 || !strings.Contains(errs, "http-token is missing") {
		t.Fatalf("no token file: exit %d, %s", code, errs)
	}
	os.MkdirAll(filepath.Join(home, ".mcp-conductor"), 0o700)
	os.WriteFile(filepath.Join(home, ".mcp-conductor", "http-token"), []byte("0123456789abcdef0123456789abcdef\n"), 0o600)
	if _, errs, code := cliRun(t, home, nil, "register", "cursor", "--force", "--url", "http://127.0.0.1:47813/mcp"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(filepath.Join(home, ".cursor", "mcp.json"))
	if !strings.Contains(string(b), `"Authorization": "Bearer 0123456789abcdef0123456789abcdef"`) {
		t.Fatalf("no header from the token file:\n%s", b)
	}
	_, errs, code = cliRun(t, home, nil, "register", "cursor", "--force", "--url", "https://example.com/mcp")
	if code != 1 || !strings.Contains(errs, "not on this machine") {
		t.Fatalf("remote URL without --token: exit %d, %s", code, errs)
	}
}
