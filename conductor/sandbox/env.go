package sandbox

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/packages"
)

//go:embed bootstrap.js
var bootstrapJS []byte

// Options are the host facts a Runner needs besides the Policy.
type Options struct {
	Deno string // the Deno binary to run
	// Warn receives one-time warnings (for example: no kernel confinement).
	Warn func(string)
}

// Env is the fixed part of every execution: command line, environment and
// kernel rules derived from the Policy.
type Env struct {
	Spec        LaunchSpec // kernel confinement and limits
	Deno        string
	Flags       []string // deno run flags, before the bootstrap
	Bootstrap   string
	Vars        []string // the child's whole environment
	Dir         string   // the child's working folder (the workspace)
	Confined    bool     // kernel confinement is applied
	Confinement string   // description for status displays
	// PrivateTmp gives each process its own temporary folder (TMPDIR), with
	// read/write access, removed after the execution. Only when the
	// administrator lets code write files at all.
	PrivateTmp bool
}

// withPath grants path through the flag named name ("--allow-read"). Deno
// keeps only the last occurrence of a flag, so the path joins an existing
// list; a flag granting everything already covers it.
func withPath(flags []string, name, path string) []string {
	out := append([]string(nil), flags...)
	for i, f := range out {
		switch {
		case f == name:
			return out
		case strings.HasPrefix(f, name+"="):
			out[i] = f + "," + path
			return out
		}
	}
	return append(out, name+"="+path)
}

// argv is the command line, confinement and environment of one sandbox
// process; tmp, if set, is its private temporary folder.
func (e Env) argv(tmp string) ([]string, LaunchSpec, []string) {
	spec, flags, vars := e.Spec, e.Flags, e.Vars
	if tmp != "" {
		spec.RWDirs = append(append([]string(nil), spec.RWDirs...), tmp)
		flags = withPath(withPath(flags, "--allow-read", tmp), "--allow-write", tmp)
		vars = append(append([]string(nil), vars...), "TMPDIR="+tmp)
	}
	argv := append([]string{e.Deno}, flags...)
	return append(argv, e.Bootstrap), spec, vars
}

// New prepares a Runner: it creates the workspace and the conductor-owned
// folders, writes the bootstrap, and derives the sandbox's command line.
func New(ctx context.Context, p config.Policy, opts Options) (*Runner, error) {
	if opts.Deno == "" {
		return nil, fmt.Errorf("no Deno binary: set %s or run `mcp-conductor deno install`", config.EnvDeno)
	}
	for _, d := range []string{p.Home, p.Workspace, filepath.Join(p.Home, "sandbox"), filepath.Join(p.Home, "cache", "deno")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	sandboxDir := filepath.Join(p.Home, "sandbox")
	boot, err := writeOnce(sandboxDir, "bootstrap", ".js", bootstrapJS)
	if err != nil {
		return nil, fmt.Errorf("write sandbox bootstrap: %w", err)
	}
	importMap, err := writeOnce(sandboxDir, "import-map", ".json", importMapFor(p.Packages))
	if err != nil {
		return nil, fmt.Errorf("write sandbox import map: %w", err)
	}
	denoDir := filepath.Join(p.Home, "cache", "deno")
	env, err := buildEnv(p, opts.Deno, boot, importMap, denoDir)
	if err != nil {
		return nil, err
	}
	if !env.Confined && p.Confinement == config.ConfineAuto && opts.Warn != nil {
		opts.Warn("kernel confinement unavailable: " + env.Confinement)
	}
	r := &Runner{
		policy:    p,
		env:       env,
		installer: packages.NewInstaller(opts.Deno, denoDir, p.Workspace, p.JSRURL),
		slots:     make(chan struct{}, p.MaxConcurrency),
	}
	r.pool = newPool(ctx, PoolOptions{Size: p.PoolSize, MaxIdleMB: p.PoolMaxIdleMB, IdleTimeout: p.PoolIdleTimeout}, r.spawn)
	return r, nil
}

// Env returns the sandbox's fixed command line and environment.
func (r *Runner) Env() Env { return r.env }

// Waiting reports how many pre-started processes wait for a job.
func (r *Runner) Waiting() int { return r.pool.waiting() }

// Close stops the pre-started processes.
func (r *Runner) Close() { r.pool.close() }

func (r *Runner) spawn() (*process, error) {
	tmp := ""
	if r.env.PrivateTmp {
		var err error
		if tmp, err = os.MkdirTemp("", "mcp-conductor-run-"); err != nil {
			return nil, fmt.Errorf("private temporary folder: %w", err)
		}
	}
	argv, spec, vars := r.env.argv(tmp)
	p, err := startProcess(argv, spec, r.env.Dir, vars, r.policy.MaxOutputBytes, func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	})
	if err != nil && tmp != "" {
		os.RemoveAll(tmp)
	}
	return p, err
}

// writeOnce stores content in dir under a name derived from its hash, so
// files in use by running sandboxes are never changed under them.
func writeOnce(dir, prefix, ext string, content []byte) (string, error) {
	sum := sha256.Sum256(content)
	path := filepath.Join(dir, prefix+"-"+hex.EncodeToString(sum[:6])+ext)
	if b, err := os.ReadFile(path); err == nil && string(b) == string(content) {
		return path, nil
	}
	f, err := os.CreateTemp(dir, prefix+"-*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(content); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(f.Name(), 0o444); err != nil {
		return "", err
	}
	return path, os.Rename(f.Name(), path)
}

func buildEnv(p config.Policy, deno, boot, importMap, denoDir string) (Env, error) {
	grants := config.GrantsOf(p.Flags)
	// The conductor's files, and the Deno binary wherever it was found.
	protected := append(p.ProtectedPaths(), deno)
	// The package cache is conductor-owned: readable by Deno's module loader,
	// never writable by code.
	var denyRead []string
	for _, x := range protected {
		if x != denoDir && x != filepath.Dir(denoDir) {
			denyRead = append(denyRead, x)
		}
	}
	flags := []string{
		"run", "--no-prompt", "--no-config", "--no-lock", "--quiet", "--cached-only", "--import-map=" + importMap,
		fmt.Sprintf("--v8-flags=--max-old-space-size=%d", p.MaxMemoryMB),
	}
	hasImport := false
	for _, f := range p.Flags {
		flags = append(flags, f.Arg())
		hasImport = hasImport || f.Name == "allow-import"
	}
	switch {
	case hasImport:
	case hasJSR(p.Packages):
		// JSR modules are remote modules: they need import permission for
		// the registry's host, even from the cache. --cached-only keeps
		// anything not installed by the conductor out.
		flags = append(flags, "--allow-import="+jsrHost(p.JSRURL))
	default:
		flags = append(flags, "--deny-import")
	}
	flags = append(flags, "--deny-read="+strings.Join(denyRead, ","), "--deny-write="+strings.Join(protected, ","))

	spec := LaunchSpec{
		// Off-heap memory (ArrayBuffers) is capped too: the heap limit plus
		// room for Deno's own reservations.
		DataLimit: uint64(p.MaxMemoryMB+1024) << 20,
	}
	ok, desc := KernelConfinement().Available()
	env := Env{Dir: p.Workspace, Confinement: desc, Deno: deno, Flags: flags, Bootstrap: boot,
		PrivateTmp: grants.WriteAll || grants.All || len(grants.Write) > 0}
	switch {
	case p.Confinement == config.ConfineOff:
		env.Confinement = "off (" + config.EnvConfinement + "=off)"
	case !ok && p.Confinement == config.ConfineRequire:
		return Env{}, fmt.Errorf("%s=require, but %s", config.EnvConfinement, desc)
	case ok:
		spec.Confine, spec.Require, env.Confined = true, true, true
		fillRules(&spec, p, grants, protected, deno, []string{boot, importMap}, denoDir)
	}
	env.Spec = spec
	env.Vars = childEnv(p, denoDir)
	return env, nil
}
