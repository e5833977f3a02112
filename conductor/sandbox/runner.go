// Package sandbox runs untrusted TypeScript/JavaScript in a fresh Deno
// process per execution, under the administrator's Policy: Deno's permission
// flags, kernel confinement (Landlock on Linux), a clean environment, no
// access to the server's stdin/stdout, time, memory and output limits.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
)

// Job is one piece of code to run.
type Job struct {
	Code         string
	Timeout      time.Duration  // 0: the policy's default; capped at its maximum
	Globals      map[string]any // injected as read-only globals
	Dependencies []string       // npm:/jsr: specifiers to make importable
	// Python runs Code as Python, in a fresh Pyodide interpreter.
	Python bool
	Calls  CallHandler // answers mcpFactory calls; nil: none
	// Servers are the MCP servers the code may reach through mcpFactory.
	Servers []string
	// OnStdout, if set, receives each line the code prints to stdout (at
	// most MaxTapLine bytes of it, without the newline), as it is read,
	// on the reader's goroutine: it must not block. The result's Stdout is
	// the same whether or not it is set.
	OnStdout func(line string)
}

// Result is the outcome of one execution. Its JSON form is the tool's
// structured output.
type Result struct {
	Status          string    `json:"status" jsonschema:"success or error"`
	ReturnValue     any       `json:"returnValue" jsonschema:"value of the code's last expression (null if none); values JSON cannot carry become descriptive strings"`
	Stdout          string    `json:"stdout" jsonschema:"what the code printed to stdout (capped)"`
	Stderr          string    `json:"stderr" jsonschema:"what the code printed to stderr (capped)"`
	Error           *ExecErr  `json:"error,omitempty" jsonschema:"why the execution failed (absent on success)"`
	ExecutionTimeMs float64   `json:"executionTimeMs" jsonschema:"wall-clock time of the execution in milliseconds"`
	ToolCalls       []CallLog `json:"toolCalls,omitempty" jsonschema:"calls the code made to MCP servers through mcpFactory (the first 100)"`
	// ToolCallsOmitted counts the calls beyond the listed ones.
	ToolCallsOmitted int `json:"toolCallsOmitted,omitempty" jsonschema:"calls made beyond those listed in toolCalls"`

	// Calls are the calls for the audit log (at most MaxAuditCalls), and
	// CallsNotRecorded how many more were made; neither is in the result.
	Calls            []CallLog `json:"-"`
	CallsNotRecorded int       `json:"-"`
}

// ExecErr says why an execution failed.
type ExecErr struct {
	Type    ErrorKind `json:"type" jsonschema:"one of syntax, runtime, timeout, permission, dependency, limit"`
	Message string    `json:"message"`
}

// CallLog records one proxied call made by the code.
type CallLog struct {
	// Method is the mcpFactory method: callTool, listTools, readResource, ...
	Method     string  `json:"method"`
	Server     string  `json:"server,omitempty"`
	Tool       string  `json:"tool,omitempty" jsonschema:"the tool called, prompt got or resource read"`
	DurationMs float64 `json:"durationMs"`
	OK         bool    `json:"ok"`
	Error      string  `json:"error,omitempty"`
	// Args are the call's arguments, for the audit log (not in results).
	Args json.RawMessage `json:"-"`
}

// Runner runs jobs under one Policy. It is safe for concurrent use.
type Runner struct {
	policy    config.Policy
	env       Env
	installer *allowlist.Installer
	skills    skills.Store // the skills code may import
	mapDir    string       // where the import maps are written
	slots     chan struct{}
	pool      *pool

	py       *python // nil: no Python (pyReason says why)
	pyReason string
	warn     func(string) // Options.Warn, never nil

	mu     sync.Mutex
	live   map[*process]bool // every process started and not yet exited
	closed bool              // Stop was called: no new processes

	ctx        context.Context    // the runner's life
	cancel     context.CancelFunc // ends background work (the install step)
	background sync.WaitGroup

	releaseOnce  sync.Once   // Close gives the policy's labels back once
	skillImports importCache // what skill sources import (skillPackages)
}

// errClosed is returned for work that arrives while the runner stops.
var errClosed = errors.New("the sandbox is shutting down")

// track records a new process until it exits; false once the runner stops.
func (r *Runner) track(p *process) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.live[p] = true
	go func() {
		<-p.exited
		r.mu.Lock()
		delete(r.live, p)
		r.mu.Unlock()
	}()
	return true
}

// Close stops the pre-started processes; executions already running finish
// under this runner. Used when a new policy replaces this one.
func (r *Runner) Close() {
	r.closePools()
	// A replaced policy gives back the labels (Windows) that no other
	// policy holds: a write grant removed from the settings stops being
	// writable to low-integrity programs. Not on Stop: when the conductor
	// exits, its labels stay for the next start (a folder's new label
	// walks its whole tree).
	r.releaseOnce.Do(func() {
		if err := releaseKernel(r.env.Spec); err != nil {
			r.warn("the folders this policy no longer grants keep their integrity labels: " + err.Error())
		}
	})
}

// closePools stops the pools (see Close).
func (r *Runner) closePools() {
	r.pool.close()
	if r.py != nil {
		// No Python pool starts after this: a Python job still arriving
		// boots its own interpreter.
		r.py.poolOnce.Do(func() {})
		if pl := r.py.pool.Load(); pl != nil {
			pl.close()
		}
	}
}

// Stop ends every process of this runner, waiting or running, and its
// install step, and returns once each has exited and its private folder is
// gone. Executions still running end with an error. Used when the conductor
// shuts down.
func (r *Runner) Stop() {
	r.mu.Lock()
	r.closed = true
	procs := make([]*process, 0, len(r.live))
	for p := range r.live {
		procs = append(procs, p)
	}
	r.mu.Unlock()
	r.cancel()
	r.installer.Close()
	r.background.Wait()
	r.closePools()
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
}

// Running reports how many of this runner's processes are alive.
func (r *Runner) Running() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.live)
}

// Run executes one job and always returns a Result; the error is non-nil
// only for problems of the host (the Deno binary cannot start, ...).
func (r *Runner) Run(ctx context.Context, job Job) (*Result, error) {
	start := time.Now()
	fail := func(kind ErrorKind, msg string) (*Result, error) {
		return &Result{Status: "error", Error: &ExecErr{Type: kind, Message: msg},
			ExecutionTimeMs: msSince(start)}, nil
	}
	timeout := job.Timeout
	if timeout <= 0 {
		timeout = r.policy.DefaultTimeout
	}
	timeout = min(timeout, r.policy.MaxTimeout)
	if job.Python {
		return r.runPython(ctx, job, timeout, fail)
	}
	if err := validateGlobals(job.Globals); err != nil {
		return fail(KindRuntime, err.Error())
	}

	// Resolve and install dependencies before anything runs.
	var need []allowlist.Spec
	addNeed := func(s *allowlist.Spec) {
		if s != nil {
			need = append(need, *s)
		}
	}
	for _, d := range job.Dependencies {
		_, spec, err := r.policy.Packages.Resolve(d)
		if err != nil {
			return fail(KindDependency, err.Error())
		}
		addNeed(spec)
	}
	have := r.currentSkills()
	var imported []string // the skills the code imports by name
	prog, err := Compile(job.Code, func(s string) error {
		if ok, err := have.check(s); ok {
			if name, _, _ := skills.NameOf(s); err == nil {
				imported = append(imported, name)
			}
			return err
		}
		_, spec, err := r.policy.Packages.Resolve(s)
		addNeed(spec)
		return err
	})
	var ce *CodeError
	if errors.As(err, &ce) {
		return fail(ce.Kind, ce.Message)
	} else if err != nil {
		return nil, err
	}
	if err := r.skillPackages(imported, addNeed); err != nil {
		return fail(KindDependency, err.Error())
	}
	if len(need) > 0 {
		if _, err := r.installer.Ensure(ctx, need); err != nil {
			return fail(KindDependency, err.Error())
		}
	}

	// Wait for a free slot: at most MaxConcurrency processes run at once.
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return fail(KindRuntime, "cancelled before it started: "+ctx.Err().Error())
	}
	p, err := r.pool.get()
	defer r.pool.done()
	if err != nil {
		return nil, err
	}
	start = time.Now()
	res := r.execute(ctx, p, jsMessage(prog), prog.pos, job, timeout, start)
	if res.Error != nil && res.Error.Type != KindTimeout && ctx.Err() == nil && !p.isReady() && p.exitCode() != 0 {
		// Deno ended before its bootstrap was ready: no code of the job
		// ran, so whatever it printed (V8 may say "out of memory" when it
		// cannot reserve its address space) is the host's problem.
		return nil, fmt.Errorf("the sandbox (Deno) exited before it could run the code (%s); check that %s runs on this system", crashText(p.exitCode(), p.stderr.String("stderr")), r.env.Deno)
	}
	return res, nil
}

// outcome is what the host saw of one execution, before it is judged.
type outcome struct {
	res       *frame // the first result frame
	errFrame  *frame // the first error frame
	timedOut  bool
	canceled  bool
	violation error // the code broke the channel's rules (forged frames)
	finished  bool  // the bootstrap reported a clean end of the event loop
}

// jsMessage is the job message of a JavaScript process.
func jsMessage(prog *Program) job { return job{URL: moduleURL(prog.JS)} }

// runPython runs a Python job in a process that booted a fresh interpreter.
func (r *Runner) runPython(ctx context.Context, j Job, timeout time.Duration, fail func(ErrorKind, string) (*Result, error)) (*Result, error) {
	if r.py == nil {
		return fail(KindDependency, "Python is not available: "+r.pyReason)
	}
	if err := validPythonGlobals(j.Globals); err != nil {
		return fail(KindRuntime, err.Error())
	}
	var wheels []string
	for _, name := range j.Dependencies {
		a, ok := r.py.packages.allowed(name)
		if !ok {
			return fail(KindDependency, r.py.packages.refuse(name).Error())
		}
		files, err := r.py.packages.ensure(ctx, a)
		if err != nil {
			return fail(KindDependency, err.Error())
		}
		for _, f := range files {
			if f = filepath.ToSlash(f); !slices.Contains(wheels, f) {
				wheels = append(wheels, f)
			}
		}
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return fail(KindRuntime, "cancelled before it started: "+ctx.Err().Error())
	}
	var p *process
	var err error
	if pl := r.pythonPool(); pl != nil {
		p, err = pl.get()
		defer pl.done()
	} else {
		p, err = r.spawnPython()
	}
	if err != nil {
		return nil, err
	}
	msg := job{Python: j.Code, Packages: wheels}
	res := r.execute(ctx, p, msg, nil, j, timeout, time.Now())
	if diedBooting(ctx, p, res) && p.snapshot {
		// The memory snapshot only saves time: an interpreter that could
		// not boot from it (unreadable, damaged) is booted without it, for
		// this job and from now on. The code never ran, so it runs once.
		r.py.dropSnapshot(r.warn, crashText(p.exitCode(), p.stderr.String("stderr")))
		if p, err = r.spawnPython(); err != nil {
			return nil, err
		}
		res = r.execute(ctx, p, msg, nil, j, timeout, time.Now())
	}
	if diedBooting(ctx, p, res) {
		return nil, fmt.Errorf("the Python sandbox exited before it could run the code (%s)", crashText(p.exitCode(), p.stderr.String("stderr")))
	}
	return res, nil
}

// diedBooting reports whether p ended with an error before its interpreter
// was ready, so the job's code never ran.
func diedBooting(ctx context.Context, p *process, res *Result) bool {
	return res.Error != nil && res.Error.Type != KindTimeout && ctx.Err() == nil && !p.isReady() && p.exitCode() != 0
}

// execute sends msg (the code, as the process's kind expects it) with the
// job's key, globals and caps, and judges what comes back.
func (r *Runner) execute(ctx context.Context, p *process, msg job, pos *positions, j Job, timeout time.Duration, start time.Time) *Result {
	key := newKey()
	p.setKey(key)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	calls := newCallTracker(j.Calls)
	if j.OnStdout != nil {
		p.stdout.tap(&lineTap{onLine: j.OnStdout})
		defer p.stdout.tap(nil)
	}
	msg.Key, msg.Globals, msg.MaxReturn = key, j.Globals, r.policy.MaxOutputBytes
	err := p.send(msg)
	if err != nil && p.alive() {
		p.stop()
	}
	o := r.collect(ctx, runCtx, p, calls, timeout)
	// The code has finished: its private folder goes now, not when the
	// killed process is eventually reaped.
	p.release()
	cancel()
	out := &Result{
		Status:          "success",
		Stdout:          p.stdout.String("stdout"),
		Stderr:          cleanStderr(p.stderr.String("stderr")),
		ExecutionTimeMs: msSince(start),
	}
	all, omitted := calls.finish()
	out.Calls, out.CallsNotRecorded = all, omitted
	out.ToolCalls, out.ToolCallsOmitted = all[:min(len(all), MaxCallLogs)], omitted+max(0, len(all)-MaxCallLogs)
	r.judge(out, o, p, timeout, pos)
	return out
}

// collect follows the process until its job is over: frames, calls, the
// time limit and cancellation. Of the result and error frames only the
// first of each counts.
func (r *Runner) collect(ctx, runCtx context.Context, p *process, calls *callTracker, timeout time.Duration) outcome {
	var o outcome
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	defer p.abandon()
	take := func(f frame) {
		switch f.T {
		case frameResult:
			if o.res == nil {
				o.res = &f
			}
		case frameError:
			if o.errFrame == nil {
				o.errFrame = &f
			}
		}
	}
	for {
		select {
		case f := <-p.frames:
			switch f.T {
			case frameCall:
				if err := calls.dispatch(runCtx, p, f); err != nil {
					o.violation = err
					p.abandon()
					p.stop()
					return o
				}
			case frameExit:
				// Nothing more can run and both streams are complete: skip
				// Deno's teardown, which the process goroutine reaps.
				o.finished = true
				signalGroup(p.cmd, true)
				select {
				case <-p.errSplit.seen:
				case <-p.exited:
				case <-time.After(killGrace):
				}
				r.drain(p, take)
				return o
			default:
				take(f)
			}
		case <-p.exited:
			r.drain(p, take)
			return o
		case <-timer.C:
			o.timedOut = true
			p.abandon()
			p.stop()
			return o
		case <-ctx.Done():
			o.canceled = true
			p.abandon()
			p.stop()
			return o
		}
	}
}

// drain takes the frames written just before the end that are still queued.
func (r *Runner) drain(p *process, take func(frame)) {
	for {
		select {
		case f := <-p.frames:
			take(f)
		default:
			return
		}
	}
}

// judge turns what was seen into the result's status, error and value,
// enforcing the return value's cap on the host's side.
func (r *Runner) judge(out *Result, o outcome, p *process, timeout time.Duration, pos *positions) {
	setErr := func(kind ErrorKind, msg string) {
		out.Status = "error"
		out.Error = &ExecErr{Type: kind, Message: msg}
	}
	rawStderr := ""
	if !o.finished {
		rawStderr = p.stderr.String("stderr")
	}
	switch {
	case o.violation != nil:
		setErr(KindLimit, o.violation.Error())
	case o.timedOut:
		setErr(KindTimeout, fmt.Sprintf("execution timed out after %d ms", timeout.Milliseconds()))
	case o.canceled:
		setErr(KindRuntime, "execution cancelled by the client")
	case o.errFrame != nil:
		judge := classify
		if p.python {
			judge = classifyPython
		}
		kind, msg := judge(o.errFrame.Name, capText(o.errFrame.Msg, maxErrorText), capText(o.errFrame.Stack, maxErrorText))
		setErr(kind, cleanText(msg, r.bootstrapURL(), pos))
	case isOutOfMemory(rawStderr):
		setErr(KindLimit, fmt.Sprintf("the code ran out of memory: the sandbox's heap is capped at %d MB, all its memory at %d MB", r.policy.MaxMemoryMB, r.policy.MaxMemoryMB+1024))
	case !o.finished && p.exitCode() != 0:
		msg := fmt.Sprintf("the process exited with code %d", p.exitCode())
		if p.exitCode() < 0 {
			msg = "the process was killed by a signal"
		}
		if s := exceptionName(p.exitCode()); s != "" {
			msg = "the process crashed (" + s + ")"
		}
		if s := strings.TrimSpace(out.Stderr); s != "" && p.exitCode() >= 125 {
			msg += ": " + s
		}
		setErr(KindRuntime, msg)
	}
	if out.Status != "success" || o.res == nil {
		return
	}
	if n := len(o.res.Value); n > r.policy.MaxOutputBytes {
		setErr(KindLimit, fmt.Sprintf("the return value is %d bytes of JSON, over the %d-byte limit; return a smaller value or write it to a file", n, r.policy.MaxOutputBytes))
		return
	}
	var v any
	if err := json.Unmarshal([]byte(o.res.Value), &v); err == nil {
		out.ReturnValue = v
	}
}

// bootstrapURL is how stack traces name the bootstrap.
func (r *Runner) bootstrapURL() string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(r.env.Bootstrap)}).String()
}

var identRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`) })

func validateGlobals(g map[string]any) error {
	for name := range g {
		if !identRe().MatchString(name) {
			return fmt.Errorf("globals: %q is not a valid JavaScript identifier", name)
		}
	}
	return nil
}

func newKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "\x1e" + hex.EncodeToString(b) + ":"
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

// isOutOfMemory reports whether Deno's stderr says it ran out of memory:
// V8's heap limit, V8 failing to get memory (under RLIMIT_DATA or a Job
// Object's limit), or Rust's allocator failing ("memory allocation of N
// bytes failed"). Only judged for a process whose code ran (Runner.Run).
func isOutOfMemory(stderr string) bool {
	return strings.Contains(stderr, "Fatal JavaScript out of memory") ||
		strings.Contains(stderr, "JavaScript heap out of memory") ||
		strings.Contains(stderr, "Fatal process out of memory") ||
		strings.Contains(stderr, "memory allocation of ") && strings.Contains(stderr, " bytes failed")
}

// exceptionName names a Windows exit status that is an exception (an
// NTSTATUS error, 0xC0000000 and up), such as an access violation; "" for
// an ordinary exit code.
func exceptionName(code int) string {
	if code < 0 || uint32(code) < 0xC0000000 {
		return ""
	}
	names := map[uint32]string{0xC0000005: "access violation", 0xC00000FD: "stack overflow", 0xC0000409: "fail-fast abort",
		0xC0000017: "out of memory", 0xC000001D: "illegal instruction", 0xC0000135: "a DLL was not found", 0xC0000139: "an entry point was not found"}
	s := fmt.Sprintf("exception 0x%08X", uint32(code))
	if n, ok := names[uint32(code)]; ok {
		s += ": " + n
	}
	return s
}

// crashText describes how a process that never got ready ended: its exit
// status and the first line of what it printed.
func crashText(code int, stderr string) string {
	s := fmt.Sprintf("exit code %d", code)
	if n := exceptionName(code); n != "" {
		s = n
	}
	if line, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n"); line != "" {
		s += ": " + capText(line, 300)
	}
	return s
}

// cleanStderr drops V8's crash dump (a page of GC traces and C stack frames
// that says nothing to the code's author) from stderr.
func cleanStderr(s string) string {
	for _, marker := range []string{"\n<--- Last few GCs --->", "<--- Last few GCs --->", "\n#\n# Fatal"} {
		if i := strings.Index(s, marker); i >= 0 {
			return s[:i]
		}
	}
	return s
}
