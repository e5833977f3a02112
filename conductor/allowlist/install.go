package allowlist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// InstallTimeout bounds one install step.
const InstallTimeout = 5 * time.Minute

// EmptyLock is a Deno lockfile that lists nothing: with --frozen, a sandbox
// started with it can import no package at all.
const EmptyLock = `{"version":"5"}` + "\n"

// Installer fetches allowlisted packages into a cache folder that only the
// conductor writes, and keeps the lockfile of exactly what it installed.
//
// Installing runs `deno cache`, which downloads and resolves but executes
// no package code (no lifecycle scripts either). The sandbox later reads the
// cache with --cached-only and the lockfile with --frozen: Deno then refuses
// any package the lockfile does not list, however the code names it (a
// computed specifier, a data: module, eval), so what the cache holds beyond
// the current allowlist (a package the administrator removed, another
// version of a dependency) cannot be imported.
type Installer struct {
	deno, cacheDir, workDir, jsrURL, lockDir string
	env                                      []string

	// installMu is held while `deno cache` runs: installs happen one at a
	// time, so each lockfile lists everything installed before it. A job
	// whose packages are installed already never waits for it, and jobs
	// asking for the same missing packages at once share one install
	// (flight, keyed by the package set).
	installMu sync.Mutex
	flight    singleflight.Group
	ctx       context.Context // the installer's lifetime: Close ends it
	stop      context.CancelFunc
	running   sync.WaitGroup // installs in progress

	mu        sync.Mutex
	installed []string // the specs (registry:name@constraint) the lockfile lists, sorted
	lock      string   // the current lockfile
}

// InstallerOptions configure an Installer.
type InstallerOptions struct {
	Deno     string // the Deno binary
	CacheDir string // DENO_DIR of the install step
	WorkDir  string // where `deno cache` may look for nothing (the workspace)
	JSRURL   string // JSR registry; "" = https://jsr.io/
	// LockDir is where lockfiles are written (read-only, named by content).
	LockDir string
	// Env is the install step's environment (see InstallEnv).
	Env []string
}

// NewInstaller returns an Installer whose lockfile lists nothing yet.
func NewInstaller(opts InstallerOptions) (*Installer, error) {
	in := &Installer{deno: opts.Deno, cacheDir: opts.CacheDir, workDir: opts.WorkDir, jsrURL: opts.JSRURL, lockDir: opts.LockDir, env: opts.Env}
	in.ctx, in.stop = context.WithCancel(context.Background())
	lock, err := writeLock(opts.LockDir, []byte(EmptyLock))
	if err != nil {
		return nil, fmt.Errorf("sandbox lockfile: %w", err)
	}
	in.lock = lock
	return in, nil
}

// Close stops installs in progress and waits for them to end.
func (in *Installer) Close() {
	in.stop()
	in.running.Wait()
}

// Lock returns the lockfile a sandbox process starts with now.
func (in *Installer) Lock() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.lock
}

// Ensure makes sure every spec is in the cache and in the lockfile, and
// returns the lockfile that lists them.
func (in *Installer) Ensure(ctx context.Context, specs []Spec) (string, error) {
	want := func() (missing []string, all []string, lock string) {
		in.mu.Lock()
		defer in.mu.Unlock()
		for _, s := range specs {
			s.Subpath = ""
			if k := s.String(); !slices.Contains(in.installed, k) && !slices.Contains(missing, k) {
				missing = append(missing, k)
			}
		}
		return missing, append(slices.Clone(in.installed), missing...), in.lock
	}
	missing, _, lock := want()
	if len(missing) == 0 {
		return lock, nil
	}
	slices.Sort(missing)
	// The install belongs to no one caller: it runs to its own time limit
	// (or until Close), and a caller that goes away stops waiting without
	// stopping it.
	in.running.Add(1)
	ch := in.flight.DoChan(strings.Join(missing, " "), func() (any, error) {
		ctx := in.ctx
		in.installMu.Lock()
		defer in.installMu.Unlock()
		missing, all, lock := want() // another install may have done it meanwhile
		if len(missing) == 0 {
			return lock, nil
		}
		slices.Sort(all)
		data, err := in.install(ctx, all, missing)
		if err != nil {
			return "", err
		}
		lock, err = writeLock(in.lockDir, data)
		if err != nil {
			return "", fmt.Errorf("sandbox lockfile: %w", err)
		}
		in.mu.Lock()
		in.installed, in.lock = all, lock
		in.mu.Unlock()
		return lock, nil
	})
	done := make(chan singleflight.Result, 1)
	go func() {
		r := <-ch
		in.running.Done()
		done <- r
	}()
	select {
	case r := <-done:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", fmt.Errorf("installing %s: %w", strings.Join(missing, ", "), ctx.Err())
	}
}

// install runs `deno cache` for all (installed before, plus missing) and
// returns the lockfile it wrote.
func (in *Installer) install(ctx context.Context, all, missing []string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "mcp-conductor-install-")
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	defer os.RemoveAll(dir)
	var src strings.Builder
	for _, m := range all {
		fmt.Fprintf(&src, "import %q;\n", m)
	}
	entry := filepath.Join(dir, "deps.ts")
	if err := os.WriteFile(entry, []byte(src.String()), 0o600); err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	lockPath := filepath.Join(dir, "deno.lock")
	ctx, cancel := context.WithTimeout(ctx, InstallTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, in.deno, "cache", "--quiet", "--no-config", "--lock="+lockPath, "--frozen=false", "--node-modules-dir=none", entry)
	cmd.Dir = dir
	cmd.Env = append([]string{"DENO_DIR=" + in.cacheDir}, in.env...)
	if in.jsrURL != "" {
		cmd.Env = append(cmd.Env, "JSR_URL="+in.jsrURL)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 4000 {
			msg = msg[:4000] + "…"
		}
		return nil, fmt.Errorf("installing %s failed (%v): %s", strings.Join(missing, ", "), err, msg)
	}
	data, err := os.ReadFile(lockPath)
	if os.IsNotExist(err) {
		return []byte(EmptyLock), nil // nothing that needs locking (node: built-ins only)
	}
	return data, err
}

// writeLock stores a lockfile under a name derived from its content,
// read-only, so the file a running sandbox started with never changes.
func writeLock(dir string, content []byte) (string, error) {
	sum := sha256.Sum256(content)
	path := filepath.Join(dir, "deno-"+hex.EncodeToString(sum[:6])+".lock")
	return path, fsx.WriteOnce(path, content)
}

// InstallEnv is the install step's environment besides DENO_DIR: what
// fetching needs (proxies, the npm registry setting, certificates) taken
// from getenv, and nothing else.
func InstallEnv(getenv func(string) string) []string {
	env := []string{"DENO_NO_UPDATE_CHECK=1", "DENO_NO_PACKAGE_JSON=1", "NO_COLOR=1"}
	// USERPROFILE is the home on Windows (Deno finds .npmrc there).
	for _, k := range []string{"HOME", "USERPROFILE", "PATH", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
		"NPM_CONFIG_REGISTRY", "npm_config_registry", "DENO_CERT", "DENO_TLS_CA_STORE", "DENO_AUTH_TOKENS", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	// Deno reads neither SSL_CERT_FILE nor the system store by default; a
	// private CA (corporate proxy, npm mirror) set up for other tools should
	// work here too.
	if getenv("DENO_CERT") == "" {
		if f := getenv("SSL_CERT_FILE"); f != "" {
			env = append(env, "DENO_CERT="+f)
		}
	}
	if getenv("DENO_TLS_CA_STORE") == "" {
		env = append(env, "DENO_TLS_CA_STORE=mozilla,system")
	}
	return env
}
