package deno

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// Source is where Install downloads Deno from.
type Source string

const (
	// GitHub is the official release zip: GitHub releases, then
	// dl.deno.land, verified against the published .sha256sum.
	GitHub Source = "github"
	// NPM is the platform package of the `deno` npm package, from the npm
	// registry configured for the user, verified against dist.integrity.
	NPM Source = "npm"
)

// InstallOptions tune Install. The zero value installs the latest release
// from GitHub for this machine.
type InstallOptions struct {
	// Home is the conductor home; "" means config.HomeDir().
	Home string
	// Version is "X.Y.Z" or "vX.Y.Z"; "" means the latest release.
	Version string
	// Source is GitHub (default) or NPM.
	Source Source
	// BaseURL replaces the download location. For GitHub it is a mirror
	// laid out like https://dl.deno.land (BaseURL/release-latest.txt,
	// BaseURL/release/vX.Y.Z/deno-<target>.zip[.sha256sum]); for NPM it is
	// the registry URL, overriding the npm configuration.
	BaseURL string
	// GOOS and GOARCH select the build; "" means this machine's.
	GOOS, GOARCH string
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Progress, if set, receives progress events (see Progress).
	Progress func(Progress)
	// Getenv reads the environment (npm settings, HOME); nil is os.Getenv.
	Getenv func(string) string
}

func (o *InstallOptions) getenv(k string) string {
	if o.Getenv == nil {
		return os.Getenv(k)
	}
	return o.Getenv(k)
}

// Install downloads Deno, verifies it and installs it as
// <home>/runtime/<version>/deno, then records it as the current version
// (<home>/runtime/current) and the one it replaces as previous. Everything
// happens in a temporary folder inside <home>/runtime that is renamed into
// place only after verification, so an interrupted or corrupted download
// never leaves a broken runtime. Versions other than current and previous
// are removed.
func Install(ctx context.Context, opts InstallOptions) (*Runtime, error) {
	o := opts
	if o.GOOS == "" {
		o.GOOS = runtime.GOOS
	}
	if o.GOARCH == "" {
		o.GOARCH = runtime.GOARCH
	}
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	if o.Version != "" {
		if _, err := canonical(o.Version); err != nil {
			return nil, fmt.Errorf("--version: %w", err)
		}
	}
	fetch := githubSource
	switch o.Source {
	case "", GitHub:
	case NPM:
		fetch = npmSource
	default:
		return nil, fmt.Errorf("unknown source %q; use %q or %q", o.Source, GitHub, NPM)
	}
	home := o.Home
	if home == "" {
		var err error
		if home, err = config.HomeDir(); err != nil {
			return nil, err
		}
	}
	rtDir := filepath.Join(home, "runtime")
	if err := os.MkdirAll(rtDir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", rtDir, err)
	}
	removeStale(rtDir)
	tmp, err := os.MkdirTemp(rtDir, ".tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	d := &downloader{client: o.Client, progress: o.Progress}
	version, err := fetch(ctx, d, &o, tmp)
	if err != nil {
		return nil, err
	}
	pkg := filepath.Join(tmp, "pkg")
	bin := filepath.Join(pkg, binName(o.GOOS))
	if o.GOOS == runtime.GOOS && o.GOARCH == runtime.GOARCH {
		got, err := probe(ctx, bin, probeTimeout)
		if err != nil {
			return nil, fmt.Errorf("the downloaded deno does not run on this machine: %w", err)
		}
		if strings.TrimPrefix(got, "v") != version {
			return nil, fmt.Errorf("the downloaded deno reports version %s, not %s; nothing was installed", got, version)
		}
	}
	final := filepath.Join(rtDir, version)
	// Reinstalling sets the old copy aside in tmp, removed on return.
	if err := fsx.ReplaceDir(pkg, final, filepath.Join(tmp, "replaced")); err != nil {
		return nil, fmt.Errorf("install into %s: %w", final, err)
	}
	if err := setCurrent(home, version); err != nil {
		return nil, err
	}
	prune(home)
	d.emit(Progress{Phase: "done"})
	return &Runtime{Path: filepath.Join(final, binName(o.GOOS)), Version: version, Source: "installed by mcp-conductor"}, nil
}

func binName(goos string) string {
	if goos == "windows" {
		return "deno.exe"
	}
	return "deno"
}

// setCurrent records version as current and the former current as previous.
func setCurrent(home, version string) error {
	cur := readState(home, "current")
	if cur != "" && cur != version {
		if err := writeState(home, "previous", cur); err != nil {
			return err
		}
	}
	return writeState(home, "current", version)
}

// Rollback makes the previous installed version current again and returns
// it.
func Rollback(ctx context.Context, home string) (*Runtime, error) {
	prev := readState(home, "previous")
	if prev == "" {
		return nil, fmt.Errorf("no previous Deno version to roll back to")
	}
	bin := filepath.Join(home, "runtime", prev, binName(runtime.GOOS))
	v, err := probe(ctx, bin, probeTimeout)
	if err != nil {
		return nil, fmt.Errorf("previous version %s is not usable: %w", prev, err)
	}
	if err := setCurrent(home, prev); err != nil {
		return nil, err
	}
	return &Runtime{Path: bin, Version: v, Source: "installed by mcp-conductor"}, nil
}

func writeState(home, name, value string) error {
	return fsx.WriteFile(filepath.Join(home, "runtime", name), []byte(value+"\n"), 0o644)
}

// prune removes installed versions other than current and previous. A
// version still running elsewhere may resist removal on Windows; it stays.
func prune(home string) {
	keep := map[string]bool{readState(home, "current"): true, readState(home, "previous"): true}
	for _, v := range installedVersions(home) {
		if !keep[v] {
			os.RemoveAll(filepath.Join(home, "runtime", v))
		}
	}
}

// removeStale deletes temporary folders of installs that died over an hour
// ago (a running install's folder is younger).
func removeStale(rtDir string) {
	ents, _ := os.ReadDir(rtDir)
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(rtDir, e.Name()))
		}
	}
}
