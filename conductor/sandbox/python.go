package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// pyodideFiles are the files of the pyodide npm package the interpreter
// boots from; a folder without them is not a Pyodide runtime.
var pyodideFiles = []string{"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}

// maxSnapshotBytes bounds the memory snapshot the host reads from the
// snapshot process (Pyodide's is about 30 MB).
const maxSnapshotBytes = 512 << 20

// snapshotTimeout bounds how long making the memory snapshot may take.
const snapshotTimeout = 3 * time.Minute

// python is the Python side of a Runner: the Pyodide runtime, its memory
// snapshot and the pool of processes that have booted an interpreter.
type python struct {
	dir      string // the Pyodide folder (read-only to code)
	snapshot string // where the memory snapshot lives (made on first use)
	env      Env    // the JavaScript sandbox's Env, plus read access to dir and snapshot

	packages *pyPackages // the allowlist, installed into the read-only cache

	snapOnce sync.Once
	snapErr  error
	snapOff  atomic.Bool // the snapshot could not be booted from: boot without it

	poolOnce sync.Once
	pool     atomic.Pointer[pool]
}

// PythonStatus describes Python support under a Runner's policy.
type PythonStatus struct {
	Enabled bool   // run_python_code can be used
	Reason  string // why not, when not enabled
	Pyodide string // the Pyodide folder in use
	Warm    int    // interpreters booted and waiting for a job
	Started bool   // the pool has started (Python was used, or WarmPython called)
	// IdleKB is the resident memory of the waiting interpreters (Linux;
	// 0 where the system does not say).
	IdleKB int
}

// checkPyodide reports why dir is not a Pyodide runtime, or nil.
func checkPyodide(dir string) error {
	if dir == "" {
		return errors.New("no Pyodide runtime is installed")
	}
	for _, f := range pyodideFiles {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a Pyodide runtime: %s is missing", dir, f)
		}
	}
	return nil
}

// newPython prepares Python support for env, or says why there is none.
// The Pyodide folder must not hold, nor lie inside, a place code may not
// read: it becomes readable to every Python execution.
func newPython(p config.Policy, env Env, dir string) (*python, error) {
	if !p.Python {
		return nil, errors.New("Python is turned off by the administrator")
	}
	if err := checkPyodide(dir); err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	if x, in := env.protect.covers(dir); in && x.Access == config.NoAccess {
		return nil, fmt.Errorf("the Pyodide folder %s lies inside %s (%s), which sandboxed code may not read; install Pyodide elsewhere", dir, x.Path, x.What)
	}
	if places, _ := env.protect.inside(dir, false); len(places) > 0 {
		x, _ := env.protect.covers(places[0])
		return nil, fmt.Errorf("the Pyodide folder %s holds %s (%s), which sandboxed code may not read; install Pyodide elsewhere", dir, x.Path, x.What)
	}
	sum, err := runtimeHash(dir)
	if err != nil {
		return nil, fmt.Errorf("read the Pyodide runtime: %w", err)
	}
	snapDir := filepath.Join(p.Home, "cache", "python")
	if err := os.MkdirAll(snapDir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", snapDir, err)
	}
	pp, err := newPyPackages(p, dir, filepath.Join(snapDir, "wheels"))
	if err != nil {
		return nil, fmt.Errorf("read the Pyodide runtime: %w", err)
	}
	py := &python{dir: dir, snapshot: filepath.Join(snapDir, "snapshot-"+sum+".bin"), packages: pp}
	// Deno may read the runtime, the installed wheels and the snapshot; the
	// kernel layer the runtime and the conductor's Python folder (which
	// holds nothing else).
	py.env = env.withRuntime([]string{dir, pp.dir, py.snapshot}, []string{dir, snapDir})
	if env.Confined {
		// What the kernel layer sets once per policy (Windows' labels make
		// these readable inside the conductor's folder).
		s := py.env.Spec
		fillRules(&s, env.protect, env.reads, env.writes, py.env.grants, env.Deno, py.env.own, env.cache)
		s.ReadDirs = append(s.ReadDirs, py.env.runtimeDirs...)
		if err := prepareKernel(s); err != nil {
			return nil, err
		}
	}
	return py, nil
}

// runtimeHash names the snapshot after what it was made from: the Pyodide
// files and the bootstrap that boots them.
func runtimeHash(dir string) (string, error) {
	h := sha256.New()
	h.Write(bootstrapJS)
	for _, f := range pyodideFiles {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// withRuntime is env with read access to a runtime: for Deno, to the
// paths in readable; for the kernel layer, to the folders in kernelDirs.
// Never write access: they are the conductor's, protected.
func (e Env) withRuntime(readable, kernelDirs []string) Env {
	g := e.grants
	if !g.Allow.Read.All {
		g.Allow.Read.List = slices.Concat(g.Allow.Read.List, readable)
	}
	e.grants = g
	e.runtimeDirs = slices.Concat(e.runtimeDirs, kernelDirs)
	return e
}

// pyMount is one granted folder in Python's file system (Pyodide's
// NODEFS): At in Python, Host on the machine.
type pyMount struct {
	At   string `json:"at"`
	Host string `json:"host"`
}

// mounts are the granted folders Python sees (at PythonPath of their
// names): the outermost of the read and write roots that are folders.
// The file system root and Pyodide's own folders cannot be mapped, nor a
// Windows folder without a drive letter, and single files are not visible
// to Python (see docs/security.md).
func (e Env) mounts() []pyMount {
	var roots []string
	for _, r := range slices.Concat(e.reads, e.writes) {
		r = filepath.Clean(r)
		if st, err := os.Stat(r); err != nil || !st.IsDir() || !filepath.IsAbs(r) {
			continue
		}
		if at, ok := PythonPath(r); !ok || !mountable(at) {
			continue
		}
		roots = append(roots, r)
	}
	sort.Slice(roots, func(i, j int) bool { return len(roots[i]) < len(roots[j]) })
	var out []pyMount
	for _, r := range roots {
		if !slices.ContainsFunc(out, func(o pyMount) bool { return o.Host == r || isWithin(r, o.Host) }) {
			at, _ := PythonPath(r)
			out = append(out, pyMount{At: at, Host: r})
		}
	}
	for i := range out {
		out[i].Host = pythonHost(runtime.GOOS, out[i].Host)
	}
	return out
}

// pyodideOwn are the folders of Pyodide's own file system a mount must not
// hide (the standard library lives in /lib).
var pyodideOwn = []string{"/", "/lib", "/dev", "/proc", "/tmp", "/home/pyodide"}

// mountable reports whether a granted folder can be mapped at its own name
// without hiding one of Pyodide's folders, or lying inside one that is not
// a plain folder in memory (/lib, /dev, /proc).
func mountable(dir string) bool {
	for _, own := range pyodideOwn {
		if dir == own || isWithin(own, dir) {
			return false
		}
	}
	for _, sys := range []string{"/lib", "/dev", "/proc"} {
		if isWithin(dir, sys) {
			return false
		}
	}
	return true
}

// pythonArgs are the bootstrap's arguments for a Python process.
func (py *python) args(snapshot string) []string {
	m, _ := json.Marshal(py.env.mounts())
	if m == nil || string(m) == "null" {
		m = []byte("[]")
	}
	cwd, ok := PythonPath(py.env.Dir)
	if !ok {
		cwd = "" // Pyodide's own home
	}
	return []string{"python", filepath.ToSlash(py.dir), snapshot, string(m), cwd}
}

// ensureSnapshot makes the interpreter's memory snapshot once: a process
// that runs no job boots Pyodide under the same confinement and writes the
// snapshot to its stdout; the host stores it in the read-only cache.
// Booting from it takes a fraction of a cold boot. Without it (it could not
// be made) processes boot cold.
func (py *python) ensureSnapshot(ctx context.Context) error {
	py.snapOnce.Do(func() {
		if _, err := os.Stat(py.snapshot); err == nil {
			return
		}
		py.snapErr = py.makeSnapshot(ctx)
	})
	return py.snapErr
}

func (py *python) makeSnapshot(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, snapshotTimeout)
	defer cancel()
	run := &runDir{}
	env := py.env
	argv, spec, vars := env.argv(run, "", skillSet{}) // Python imports no skills
	argv = append(argv, "python-snapshot", filepath.ToSlash(py.dir))
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = env.Dir, append(vars, "DENO_DIR="+env.cache)
	newProcessGroup(cmd)
	var out, errOut bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: maxSnapshotBytes}
	cmd.Stderr = &limitedWriter{w: &errOut, n: 64 << 10}
	if err := startConfined(cmd, spec); err != nil {
		return fmt.Errorf("make the Python snapshot: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("make the Python snapshot: %v: %s", err, capText(errOut.String(), 500))
		}
	case <-ctx.Done():
		signalGroup(cmd, true)
		<-done
		return fmt.Errorf("make the Python snapshot: %w", ctx.Err())
	}
	if out.Len() == 0 || out.Len() >= maxSnapshotBytes {
		return fmt.Errorf("make the Python snapshot: Pyodide wrote %d bytes", out.Len())
	}
	return fsx.WriteOnce(py.snapshot, out.Bytes())
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	if l.n <= 0 {
		return len(b), nil
	}
	k := min(len(b), l.n)
	l.n -= k
	if _, err := l.w.Write(b[:k]); err != nil {
		return 0, err
	}
	return len(b), nil
}

// spawnPython starts a process that boots an interpreter (from the snapshot
// when there is one) and waits for one Python job.
func (r *Runner) spawnPython() (*process, error) {
	py := r.py
	snap := ""
	if py.ensureSnapshot(context.Background()) == nil && !py.snapOff.Load() {
		snap = py.snapshot
	}
	run := &runDir{}
	argv, spec, vars := py.env.argv(run, "", skillSet{}) // Python imports no skills
	argv = append(argv, py.args(snap)...)
	p, err := startProcess(argv, spec, py.env.Dir, append(vars, "DENO_DIR="+py.env.cache), r.policy.MaxOutputBytes, nil)
	if err != nil {
		return nil, err
	}
	p.python, p.snapshot = true, snap != ""
	if !r.track(p) {
		p.stop()
		return nil, errClosed
	}
	return p, nil
}

// dropSnapshot stops booting from the memory snapshot, once: an
// interpreter could not boot from it (why says what its process reported).
// The pool's waiting processes booted from it too, so they are replaced.
func (py *python) dropSnapshot(warn func(string), why string) {
	if py.snapOff.Swap(true) {
		return
	}
	warn(fmt.Sprintf("Python could not start from its memory snapshot %s (%s); Python now starts without it, which is slower; delete the file to have it made again", py.snapshot, why))
	if pl := py.pool.Load(); pl != nil {
		pl.discardStale()
	}
}

// pythonPool starts the Python pool on first use: no interpreter waits
// before Python is first asked for (or WarmPython is called). Nil once the
// runner was closed without one.
func (r *Runner) pythonPool() *pool {
	r.py.poolOnce.Do(func() {
		r.py.pool.Store(newPool(r.ctx, PoolOptions{Size: r.policy.PythonPoolSize, IdleTimeout: r.policy.PoolIdleTimeout},
			r.spawnPython, func(p *process) bool { return !p.snapshot || !r.py.snapOff.Load() }))
	})
	return r.py.pool.Load()
}

// WarmPython starts the Python pool (and makes the memory snapshot) ahead of
// the first Python job; it does nothing when Python is not enabled.
func (r *Runner) WarmPython() {
	if r.py != nil {
		if pl := r.pythonPool(); pl != nil {
			pl.kick()
		}
	}
}

// Python reports whether Python can run under this runner, and its state.
func (r *Runner) Python() PythonStatus {
	if r == nil {
		return PythonStatus{Reason: "no sandbox"}
	}
	if r.py == nil {
		return PythonStatus{Reason: r.pyReason}
	}
	st := PythonStatus{Enabled: true, Pyodide: r.py.dir}
	if pl := r.py.pool.Load(); pl != nil {
		st.Warm, st.Started = pl.waiting(), true
	}
	r.mu.Lock()
	for p := range r.live {
		if p.python && p.isReady() && !p.taken.Load() && p.alive() {
			st.IdleKB += rssKB(p.cmd.Process.Pid)
		}
	}
	r.mu.Unlock()
	return st
}

// pyIdentRe is what a Python global's name may be (ASCII identifiers).
var pyIdentRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// validPythonGlobals refuses global names Python cannot bind.
func validPythonGlobals(g map[string]any) error {
	for name := range g {
		if !pyIdentRe().MatchString(name) || pythonKeywords[name] {
			return fmt.Errorf("globals: %q is not a valid Python identifier", name)
		}
	}
	return nil
}

var pythonKeywords = map[string]bool{"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true, "import": true,
	"in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true,
	"return": true, "try": true, "while": true, "with": true, "yield": true}
