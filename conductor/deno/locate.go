package deno

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// LocateOptions tune Locate. The zero value is ready to use.
type LocateOptions struct {
	// Home is the conductor home; "" means config.HomeDir().
	Home string
	// MinVersion is the oldest acceptable Deno; "" means MinVersion.
	MinVersion string
	// Timeout bounds each `deno --version` check; 0 means probeTimeout.
	Timeout time.Duration
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// Candidate is a place Locate looked at.
type Candidate struct {
	Path   string
	Source string
	// Err says why it was not used (nil for the one chosen).
	Err error
}

// NotFoundError is Locate's error when no usable deno exists. Tried lists
// every candidate in the order examined.
type NotFoundError struct {
	MinVersion string
	Tried      []Candidate
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "deno %s or newer not found", e.MinVersion)
	var places []string
	seen := map[string]bool{}
	for _, c := range e.Tried {
		if c.Err != errMissing {
			fmt.Fprintf(&b, "; %s (%s) is unusable: %v", c.Path, c.Source, c.Err)
		} else if !seen[c.Source] {
			seen[c.Source] = true
			places = append(places, c.Source)
		}
	}
	if len(places) > 0 {
		fmt.Fprintf(&b, "; looked in %s", strings.Join(places, ", "))
	}
	b.WriteString("; run `mcp-conductor deno install`, or set " + EnvDeno + " to a deno binary")
	return b.String()
}

var errMissing = errors.New("not there")

// probeTimeout bounds a `deno --version` check. It answers in tens of
// milliseconds on an idle machine, but the first start of a freshly
// installed binary can wait seconds for a virus scanner, and under load
// (or Wine) seconds more; a conductor that then refused to start would be
// worse than one that waits. Install's checks use the same bound.
const probeTimeout = 30 * time.Second

// Locate finds a usable deno, in this order: $MCP_CONDUCTOR_DENO (when set,
// it must work: no fallback), the runtime installed by Install (current
// first), $DENO_INSTALL/bin, ~/.deno/bin, PATH, then the usual locations of
// package managers on this OS. Each candidate must run `deno --version` and
// report at least the minimum version. The error is a *NotFoundError.
func Locate(ctx context.Context, opts LocateOptions) (*Runtime, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	minV := opts.MinVersion
	if minV == "" {
		minV = MinVersion
	}
	if _, err := canonical(minV); err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = probeTimeout
	}
	check := func(c *Candidate) *Runtime {
		fi, err := os.Stat(c.Path)
		if err != nil || fi.IsDir() {
			c.Err = errMissing
			return nil
		}
		v, err := probe(ctx, c.Path, timeout)
		if err != nil {
			c.Err = err
			return nil
		}
		if older(v, minV) {
			c.Err = fmt.Errorf("version %s is older than %s", v, minV)
			return nil
		}
		abs, _ := filepath.Abs(c.Path)
		return &Runtime{Path: abs, Version: v, Source: c.Source}
	}

	if p := getenv(EnvDeno); p != "" {
		c := Candidate{Path: p, Source: EnvDeno}
		if rt := check(&c); rt != nil {
			return rt, nil
		}
		return nil, fmt.Errorf("%s=%s is not a usable deno: %w; fix or unset it", EnvDeno, p, c.Err)
	}
	home := opts.Home
	if home == "" {
		var err error
		if home, err = config.HomeDir(); err != nil {
			return nil, err
		}
	}
	nf := &NotFoundError{MinVersion: minV}
	seen := map[string]bool{}
	for _, c := range candidates(home, getenv) {
		key := filepath.Clean(c.Path)
		if seen[key] {
			continue
		}
		seen[key] = true
		if rt := check(&c); rt != nil {
			return rt, nil
		}
		if c.Err != errMissing || len(nf.Tried) < 40 {
			nf.Tried = append(nf.Tried, c)
		}
	}
	// Apps started from a desktop menu or the Dock get a short PATH; the
	// user's login shell knows the one their terminal has.
	if p := loginShellDeno(ctx, getenv, timeout); p != "" && !seen[filepath.Clean(p)] {
		c := Candidate{Path: p, Source: "login shell PATH"}
		if rt := check(&c); rt != nil {
			return rt, nil
		}
		nf.Tried = append(nf.Tried, c)
	}
	return nil, nf
}

// loginShellDeno asks the user's login shell ($SHELL -lc) where deno is,
// within timeout; "" when it does not know or there is no such shell.
func loginShellDeno(ctx context.Context, getenv func(string) string, timeout time.Duration) string {
	shell := getenv("SHELL")
	if shell == "" || runtime.GOOS == "windows" || !filepath.IsAbs(shell) {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell, "-lc", "command -v deno")
	cmd.Env = []string{"HOME=" + getenv("HOME"), "USER=" + getenv("USER"), "SHELL=" + shell}
	cmd.Stdin = nil
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) || strings.ContainsAny(p, "\n") {
		return ""
	}
	return p
}

// exeNames are the names a deno binary or shim may have here.
func exeNames() []string {
	if runtime.GOOS == "windows" {
		return []string{"deno.exe", "deno.cmd", "deno.bat"}
	}
	return []string{"deno"}
}

// candidates lists where to look, best first.
func candidates(home string, getenv func(string) string) []Candidate {
	var out []Candidate
	add := func(dir, source string) {
		if dir == "" {
			return
		}
		for _, n := range exeNames() {
			out = append(out, Candidate{Path: filepath.Join(dir, n), Source: source})
		}
	}
	for _, v := range installedVersions(home) {
		add(filepath.Join(home, "runtime", v), "installed by mcp-conductor")
	}
	if d := getenv("DENO_INSTALL"); d != "" {
		add(filepath.Join(d, "bin"), "$DENO_INSTALL/bin")
	}
	uh := getenv("HOME")
	if runtime.GOOS == "windows" {
		uh = getenv("USERPROFILE")
	}
	if uh == "" {
		uh, _ = os.UserHomeDir()
	}
	add(filepath.Join(uh, ".deno", "bin"), "~/.deno/bin")
	for _, d := range filepath.SplitList(getenv("PATH")) {
		if filepath.IsAbs(d) {
			add(d, "PATH")
		}
	}
	for _, w := range wellKnown(uh, getenv) {
		add(w[0], w[1])
	}
	return out
}

// wellKnown are package-manager and version-manager folders ({dir, label})
// that a GUI-launched process may lack on its PATH.
func wellKnown(uh string, getenv func(string) string) [][2]string {
	h := func(p ...string) string { return filepath.Join(append([]string{uh}, p...)...) }
	common := [][2]string{
		{h(".local", "bin"), "~/.local/bin"},
		{h(".cargo", "bin"), "cargo"},
		{h(".nix-profile", "bin"), "Nix"},
		{h(".asdf", "shims"), "asdf"},
		{h(".local", "share", "mise", "shims"), "mise"},
	}
	switch runtime.GOOS {
	case "darwin":
		return append([][2]string{
			{"/opt/homebrew/bin", "Homebrew"},
			{"/usr/local/bin", "/usr/local/bin"},
			{"/opt/local/bin", "MacPorts"},
		}, common...)
	case "windows":
		local := getenv("LOCALAPPDATA")
		if local == "" {
			local = h("AppData", "Local")
		}
		pd := getenv("ProgramData")
		if pd == "" {
			pd = `C:\ProgramData`
		}
		return [][2]string{
			{filepath.Join(local, "Microsoft", "WinGet", "Links"), "winget"},
			{h("scoop", "shims"), "Scoop"},
			{h("scoop", "apps", "deno", "current"), "Scoop"},
			{filepath.Join(pd, "chocolatey", "bin"), "Chocolatey"},
			{h(".cargo", "bin"), "cargo"},
		}
	}
	return append([][2]string{
		{"/usr/local/bin", "/usr/local/bin"},
		{"/usr/bin", "/usr/bin"},
		{"/home/linuxbrew/.linuxbrew/bin", "Homebrew"},
		{"/snap/bin", "Snap"},
		{"/nix/var/nix/profiles/default/bin", "Nix"},
	}, common...)
}

// installedVersions lists the versions under <home>/runtime: the current
// one first, then the others, newest first.
func installedVersions(home string) []string {
	ents, _ := os.ReadDir(filepath.Join(home, "runtime"))
	var vs []string
	for _, e := range ents {
		if _, err := canonical(e.Name()); err == nil && e.IsDir() {
			vs = append(vs, e.Name())
		}
	}
	sort.Slice(vs, func(i, j int) bool { return older(vs[j], vs[i]) })
	if cur := readState(home, "current"); cur != "" {
		for i, v := range vs {
			if v == cur {
				vs = append([]string{v}, append(vs[:i:i], vs[i+1:]...)...)
				break
			}
		}
	}
	return vs
}

// readState reads <home>/runtime/<name> ("current" or "previous").
func readState(home, name string) string {
	b, _ := os.ReadFile(filepath.Join(home, "runtime", name))
	return strings.TrimSpace(string(b))
}
