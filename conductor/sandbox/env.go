package sandbox

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

//go:embed bootstrap.js
var bootstrapJS []byte

// Options are the host facts a Runner needs besides the Policy.
type Options struct {
	Deno string // the Deno binary to run
	// Warn receives one-time warnings (for example: no kernel confinement).
	Warn func(string)
	// Protect lists more places code must never change or read, besides
	// the policy's own (for example: the programs of upstream MCP servers,
	// which the conductor runs unconfined).
	Protect []config.Protected
	// Getenv reads the conductor's environment, for the variables the
	// administrator passes to the sandbox by name; nil means os.Getenv.
	Getenv func(string) string
	// Pyodide is the folder of the Pyodide runtime (the pyodide npm
	// package) Python runs on; "" or a folder without it: no Python.
	Pyodide string

	brokenLayer string // the probe found the kernel layer stops Deno (probe.go): why
	brokenReads string // the probe found that confining reads stops Deno (Windows, probe.go): why
}

// Env is the fixed part of every execution: command line, environment and
// kernel rules derived from the Policy.
type Env struct {
	Spec        LaunchSpec // kernel confinement and limits
	Deno        string
	Bootstrap   string
	Vars        []string // the child's environment, but for DENO_DIR and TMPDIR
	Dir         string   // the child's working folder (the workspace)
	Confined    bool     // kernel confinement is applied
	Confinement string   // description for status displays
	// PrivateTmp gives each process its own temporary folder (TMPDIR), with
	// read/write access, removed after the execution. Only when the
	// administrator lets code write files at all.
	PrivateTmp bool

	base    []string      // deno run flags before the permissions
	grants  config.Grants // the permissions, with the protected places denied
	cache   string        // the shared package cache
	protect protection
	reads   []string // folders code may read, as granted ("/" for all)
	writes  []string // folders code may write, as granted
	own     []string // the conductor's files Deno itself reads (bootstrap, import map)
	// runtimeDirs are folders Deno reads a runtime from (Pyodide's), read-only.
	runtimeDirs []string
}

func (e Env) flags(run *runDir, lock string, sk skillSet) []string {
	g := e.grants
	if run != nil && run.tmp != "" {
		for _, k := range []config.Permission{config.PermRead, config.PermWrite} {
			gr := g.Allow.Grant(k)
			if !gr.All {
				gr.List = append(append([]string(nil), gr.List...), run.tmp)
			}
		}
	}
	if r := g.Allow.Grant(config.PermRead); !r.All && len(sk.files) > 0 {
		// Deno checks read access when the code imports a skill: exactly
		// the skill files, never their folder.
		r.List = append(slices.Clone(r.List), sk.paths()...)
	}
	out := append([]string(nil), e.base...)
	if sk.importMap != "" {
		out = append(out, "--import-map="+sk.importMap)
	}
	if lock != "" {
		// Only what the lockfile lists can be imported: see allowlist.Installer.
		out = append(out, "--lock="+lock, "--frozen")
	}
	return append(out, g.DenoFlags()...)
}

// argv is the command line, confinement and environment of one sandbox
// process with its private folder.
func (e Env) argv(run *runDir, lock string, sk skillSet) ([]string, LaunchSpec, []string) {
	spec, vars := e.Spec, append([]string(nil), e.Vars...)
	if spec.Confine {
		// The kernel rules are made for each process, so a grant that holds
		// a protected place (granted entry by entry around it) covers the
		// entries made in it since the last process started. The skill
		// files are read-only files of the process, like its import map.
		own := append(slices.Clone(e.own), lock)
		if sk.importMap != "" {
			own = append(own, sk.importMap)
		}
		fillRules(&spec, e.protect, e.reads, e.writes, e.grants, e.Deno, append(own, sk.paths()...), e.cache)
		spec.ReadDirs = append(spec.ReadDirs, e.runtimeDirs...)
	}
	denoDir := e.cache
	if run.denoDir != "" {
		denoDir = run.denoDir
	}
	vars = append(vars, "DENO_DIR="+denoDir)
	if run.tmp != "" {
		spec.RWDirs = append(slices.Clone(spec.RWDirs), run.tmp)
		vars = append(vars, "TMPDIR="+run.tmp, "TMP="+run.tmp, "TEMP="+run.tmp)
	}
	argv := append([]string{e.Deno}, e.flags(run, lock, sk)...)
	return append(argv, e.Bootstrap), spec, vars
}

// MayWrite reports whether code under this Env could change path, judged by
// what path leads to now against the protection computed when the Env was
// built. The conductor refuses to load configuration for which it is true.
func (e Env) MayWrite(path string) bool {
	for _, root := range e.writes {
		if _, ok := pathid.Within(path, root); !ok {
			continue
		}
		if !e.Confined {
			return true // Deno alone checks spellings: any alias may lead here
		}
		if _, carved := e.protect.covers(path); !carved {
			return true
		}
	}
	return false
}

// New prepares a Runner: it creates the workspace and the conductor-owned
// folders, writes the bootstrap, and derives the sandbox's command line.
// On macOS and Windows it first proves the kernel layer with one execution
// (probe.go).
func New(ctx context.Context, p config.Policy, opts Options) (*Runner, error) {
	return newProbed(ctx, p, opts)
}

// newRunner is New without the probe of the kernel layer.
func newRunner(ctx context.Context, p config.Policy, opts Options) (*Runner, error) {
	if opts.Deno == "" {
		return nil, fmt.Errorf("no Deno binary: set %s or run `mcp-conductor deno install`", config.EnvDeno)
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	sandboxDir := filepath.Join(p.Home, "sandbox")
	denoDir := filepath.Join(p.Home, "cache", "deno")
	if err := protectHost(); err != nil {
		return nil, err
	}
	// The home holds secrets: owner-only (on Windows an access list).
	if err := fsx.MkdirPrivate(p.Home); err != nil {
		return nil, fmt.Errorf("create %s: %w", p.Home, err)
	}
	// The shared parts of the cache exist before any process links them, so
	// a process started before a package is installed still sees it.
	for _, d := range []string{p.Home, p.Workspace, sandboxDir, denoDir, filepath.Join(denoDir, "npm"), filepath.Join(denoDir, "remote")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	sweepRunDirs()
	boot, err := writeOnce(sandboxDir, "bootstrap", ".js", bootstrapJS)
	if err != nil {
		return nil, fmt.Errorf("write sandbox bootstrap: %w", err)
	}
	// Skills are saved by the conductor alone; the folder exists before any
	// process is started, so the kernel rules can name it.
	if err := fsx.MkdirPrivate(p.SkillsDir()); err != nil {
		return nil, fmt.Errorf("create %s: %w", p.SkillsDir(), err)
	}
	env, err := buildEnv(p, opts, boot, denoDir)
	if err != nil {
		return nil, err
	}
	built := false
	defer func() {
		if !built {
			_ = releaseKernel(env.Spec) // a policy that never ran holds no label
		}
	}()
	// The npm registry the install step uses is where the sandbox looks for
	// packages in the cache: the same variables, and the registry lines of
	// the user's .npmrc (never its credentials).
	if rc := registryNpmrc(opts.Getenv); len(rc) > 0 {
		home, err := npmHome(sandboxDir, rc)
		if err != nil {
			return nil, fmt.Errorf("write the sandbox's npm settings: %w", err)
		}
		env.Vars = append(env.Vars, homeVar+"="+home)
		env.own = append(env.own, home)
	}
	if !env.Confined && p.Confinement == config.ConfineAuto && opts.Warn != nil {
		opts.Warn("kernel confinement unavailable: " + env.Confinement)
	}
	installer, err := allowlist.NewInstaller(allowlist.InstallerOptions{
		Deno: opts.Deno, CacheDir: denoDir, WorkDir: p.Workspace, JSRURL: p.JSRURL, LockDir: sandboxDir,
		Env: allowlist.InstallEnv(opts.Getenv),
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Runner{
		policy:    p,
		env:       env,
		skills:    skills.Store{Dir: p.SkillsDir()},
		mapDir:    sandboxDir,
		installer: installer,
		slots:     make(chan struct{}, p.MaxConcurrency),
		live:      map[*process]bool{},
		warn:      opts.Warn,
		ctx:       ctx,
		cancel:    cancel,
	}
	if py, err := newPython(p, env, opts.Pyodide); err != nil {
		r.pyReason = err.Error()
	} else {
		r.py = py
	}
	r.pool = newPool(ctx, PoolOptions{Size: p.PoolSize, MaxIdleMB: p.PoolMaxIdleMB, IdleTimeout: p.PoolIdleTimeout}, r.spawn,
		func(proc *process) bool {
			return proc.lock == r.installer.Lock() && proc.skills.same(r.currentSkills())
		})
	if r.py != nil && len(p.PythonPackages) > 0 {
		// The Python allowlist too is installed ahead of the first job.
		r.background.Add(1)
		go func() {
			defer r.background.Done()
			if err := r.py.packages.ensureAll(ctx); err != nil && opts.Warn != nil && ctx.Err() == nil {
				opts.Warn(err.Error())
			}
		}()
	}
	if entries := p.Packages.Entries(); len(entries) > 0 {
		// The install step for the whole allowlist, so that every listed
		// package is importable (and none other): processes started before
		// it ends are replaced by ones that know the new lockfile.
		r.background.Add(1)
		go func() {
			defer r.background.Done()
			if _, err := installer.Ensure(ctx, entries); err != nil && opts.Warn != nil && ctx.Err() == nil {
				opts.Warn("installing the allowed packages: " + err.Error())
			}
			r.pool.discardStale()
		}()
	}
	built = true
	return r, nil
}

// Env returns the sandbox's fixed command line and environment.
func (r *Runner) Env() Env { return r.env }

// MayWrite reports whether sandboxed code could change path (see Env.MayWrite).
func (r *Runner) MayWrite(path string) bool { return r.env.MayWrite(path) }

// Waiting reports how many pre-started processes wait for a job.
func (r *Runner) Waiting() int { return r.pool.waiting() }

func (r *Runner) spawn() (*process, error) {
	// Under the kernel layer the shared cache is read-only to the process,
	// so Deno's own state (web storage, its caches) cannot be kept there and
	// no private DENO_DIR is needed; without it, one is made per process.
	run, err := newRunDir(r.env.cache, !r.env.Confined, r.env.PrivateTmp)
	if err != nil {
		return nil, err
	}
	lock := r.installer.Lock()
	sk := r.currentSkills()
	if sk.importMap, err = writeImportMap(r.mapDir, importMapFor(r.policy.Packages, sk.files)); err != nil {
		run.remove()
		return nil, fmt.Errorf("write sandbox import map: %w", err)
	}
	argv, spec, vars := r.env.argv(run, lock, sk)
	p, err := startProcess(argv, spec, r.env.Dir, vars, r.policy.MaxOutputBytes, run.remove)
	if err != nil {
		run.remove()
		return nil, err
	}
	p.lock, p.skills = lock, sk
	if !r.track(p) {
		p.stop()
		return nil, errClosed
	}
	return p, nil
}

// writeOnce stores content in dir under a name derived from its hash, so
// files in use by running sandboxes are never changed under them.
func writeOnce(dir, prefix, ext string, content []byte) (string, error) {
	sum := sha256.Sum256(content)
	path := filepath.Join(dir, prefix+"-"+hex.EncodeToString(sum[:6])+ext)
	return path, fsx.WriteOnce(path, content)
}

func buildEnv(p config.Policy, opts Options, boot, denoDir string) (Env, error) {
	// The conductor's files, the Deno binary wherever it was found, and
	// what the caller adds.
	items := append(p.Protected(), config.Protected{Path: opts.Deno, Access: config.NoAccess, What: "the Deno binary", Program: true})
	items = append(items, opts.Protect...)
	if p.Python && opts.Pyodide != "" {
		// Python processes read it; no code may change it.
		items = append(items, config.Protected{Path: opts.Pyodide, Access: config.NoWrite, What: "the Pyodide runtime", Program: true})
	}
	pr := newProtection(items)

	g := p.Grants
	switch {
	case g.Has(config.PermImport):
	case hasJSR(p.Packages):
		// JSR modules are remote modules: they need import permission for
		// the registry's host, even from the cache. --cached-only keeps
		// anything not installed by the conductor out.
		g.Allow.Import = config.Grant{List: []string{jsrHost(p.JSRURL)}}
	default:
		g.Deny.Import = config.Grant{All: true}
	}
	// The package cache is conductor-owned: readable by Deno's module
	// loader, never writable by code.
	g.Deny.Read.List = append(append([]string(nil), g.Deny.Read.List...), pr.deny(false)...)
	g.Deny.Write.List = append(append([]string(nil), g.Deny.Write.List...), pr.deny(true)...)

	env := Env{
		Dir: p.Workspace, Deno: opts.Deno, Bootstrap: boot, cache: denoDir, protect: pr, grants: g,
		PrivateTmp: g.Has(config.PermWrite),
		base: []string{
			"run", "--no-prompt", "--no-config", "--no-code-cache", "--quiet", "--cached-only",
			fmt.Sprintf("--v8-flags=--max-old-space-size=%d", p.MaxMemoryMB),
		},
		// Off-heap memory (ArrayBuffers) is capped too: the heap limit plus
		// room for Deno's own reservations.
		Spec: LaunchSpec{DataLimit: uint64(p.MaxMemoryMB+1024) << 20},
	}
	reads, writes := grantedRoots(g)
	env.reads, env.writes, env.own = reads, writes, []string{boot}
	ok, desc := KernelConfinement().Available()
	if opts.brokenLayer != "" {
		ok, desc = false, opts.brokenLayer
	}
	env.Confinement = desc
	switch {
	case p.Confinement == config.ConfineOff:
		env.Confinement = "off (" + config.EnvConfinement + "=off)"
	case !ok && p.Confinement == config.ConfineRequire:
		return Env{}, fmt.Errorf("%s=require, but %s", config.EnvConfinement, desc)
	case ok:
		env.Spec.Confine, env.Spec.Require, env.Confined = true, true, true
		env.Spec.Filter = true
		if opts.brokenReads != "" {
			env.Spec.OpenReads = true
			env.Confinement += "; " + opts.brokenReads
		}
	}
	if p.Confinement != config.ConfineOff {
		env.Spec.Filter = true
		env.Spec.NoNet, env.Spec.Sys = !g.Has(config.PermNet), g.Has(config.PermSys)
	}
	env.Spec.Private, env.Spec.WorkDir = privatePlaces(p.Home, pr), pathid.Resolve(p.Workspace)
	env.Spec.Policy = policies.Add(1)
	if err := pr.refuseHardLinks(len(reads)+len(writes) > 0 || g.Has(config.PermFFI)); err != nil {
		return Env{}, err
	}
	if !env.Confined {
		if err := pr.refuseUnconfined(reads, writes, env.Confinement); err != nil {
			return Env{}, err
		}
	}
	if env.Confined {
		// What the kernel layer sets once per policy (Windows' labels),
		// after every refusal: a refused policy changes no label.
		s := env.Spec
		fillRules(&s, pr, reads, writes, g, opts.Deno, env.own, denoDir)
		if err := prepareKernel(s); err != nil {
			return Env{}, err
		}
	}
	env.Vars = childEnv(p, opts.Getenv)
	return env, nil
}

// policies numbers the policies this process builds (LaunchSpec.Policy).
var policies atomic.Uint64

// grantedRoots are the folders the grants open for reading and for writing
// ("/" for everything).
func grantedRoots(g config.Grants) (read, write []string) {
	read, write = g.Allow.Read.List, g.Allow.Write.List
	if g.Everything(config.PermRead) {
		read = []string{string(filepath.Separator)}
	}
	if g.Everything(config.PermWrite) {
		write = []string{string(filepath.Separator)}
	}
	return read, write
}
