package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// killGrace is how long code gets between SIGTERM and SIGKILL.
const killGrace = 200 * time.Millisecond

// drainGrace bounds how long output pipes may stay open after the process
// group is gone (a descendant that escaped the group can hold them).
const drainGrace = time.Second

// frameType says what a frame from the bootstrap carries.
type frameType string

// The frames the bootstrap sends.
const (
	frameResult frameType = "result" // the code's value, as JSON text
	frameError  frameType = "error"  // the code threw, or the value was too large
	frameCall   frameType = "call"   // an mcpFactory call to answer
	frameExit   frameType = "exit"   // the event loop drained; nothing more will run
)

// frame is one message from the bootstrap. Nothing in it is trusted: the
// code can read the key and forge any frame, so every limit is applied by
// the host when the frame is used.
type frame struct {
	T      frameType       `json:"t"`
	Value  string          `json:"value"` // result: JSON text of the value
	Name   string          `json:"name"`  // error
	Msg    string          `json:"message"`
	Stack  string          `json:"stack"`
	ID     int64           `json:"id"`     // call
	Method string          `json:"method"` // call
	Params json.RawMessage `json:"params"` // call
}

// job is the one message the host sends a process before its code runs.
type job struct {
	Key       string         `json:"key"`
	URL       string         `json:"url,omitempty"`      // JavaScript: the code, as a data: URL
	Python    string         `json:"python,omitempty"`   // Python: the source
	Packages  []string       `json:"packages,omitempty"` // Python: wheels to load first, from the cache
	Globals   map[string]any `json:"globals,omitempty"`
	MaxReturn int            `json:"maxReturn"`
}

// reply answers one call frame.
type reply struct {
	ID     int64  `json:"id"`
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// process is one sandboxed Deno process, started and waiting for its job.
// It runs exactly one job and is then discarded.
type process struct {
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	stdinMu  sync.Mutex
	stdout   *cappedBuffer
	stderr   *cappedBuffer
	split    *frameSplitter
	errSplit *endSplitter
	frames   chan frame
	exited   chan struct{} // closed when the process has exited and output is drained
	ready    chan struct{} // closed when the bootstrap has booted and waits for its job
	// abandoned is closed when no one reads frames any more (the job is
	// over); a frame arriving then is dropped instead of blocking output.
	abandoned   chan struct{}
	abandonOnce sync.Once

	cleanupOnce sync.Once
	cleanup     func()

	lock     string      // the lockfile the process started with
	skills   skillSet    // the skills it may import
	python   bool        // it booted a Python interpreter: its job is Python code
	snapshot bool        // it booted from the memory snapshot
	taken    atomic.Bool // it was given its job
}

// release runs the process's cleanup (removing its private temporary
// folder) once. The runner calls it when the job is done, before answering,
// so nothing of the execution outlives its result; the process goroutine
// calls it too, for processes that never got a job.
func (p *process) release() {
	p.cleanupOnce.Do(func() {
		if p.cleanup != nil {
			p.cleanup()
		}
	})
}

// startProcess starts Deno under spec's confinement and limits.
// cleanup runs once, when the process has exited or when its job is done,
// whichever comes first (see release).
func startProcess(argv []string, spec LaunchSpec, dir string, env []string, maxOutput int, cleanup func()) (*process, error) {
	p := &process{
		stdout:    &cappedBuffer{max: maxOutput},
		stderr:    &cappedBuffer{max: maxOutput},
		frames:    make(chan frame, 64),
		exited:    make(chan struct{}),
		ready:     make(chan struct{}),
		abandoned: make(chan struct{}),
		cleanup:   cleanup,
	}
	p.errSplit = newEndSplitter(p.stderr)
	p.split = &frameSplitter{out: p.stdout, maxFrame: maxOutput + 64<<10, onFrame: p.onFrame, onReady: func() { close(p.ready) }}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	newProcessGroup(cmd)
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		stdinR.Close()
		stdinW.Close()
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		stdinR.Close()
		stdinW.Close()
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, outW, errW
	if err := startConfined(cmd, spec); err != nil {
		for _, f := range []*os.File{stdinR, stdinW, outR, outW, errR, errW} {
			f.Close()
		}
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	stdinR.Close()
	outW.Close()
	errW.Close()
	p.cmd, p.stdin = cmd, stdinW

	var copying sync.WaitGroup
	copying.Add(2)
	go func() { defer copying.Done(); io.Copy(p.split, outR); p.split.flush() }()
	go func() { defer copying.Done(); io.Copy(p.errSplit, errR); p.errSplit.flush() }()
	go func() {
		_ = cmd.Wait() // the exit status is read from cmd.ProcessState
		// The main process is gone: nothing it started may outlive it.
		signalGroup(cmd, true)
		drained := make(chan struct{})
		go func() { copying.Wait(); close(drained) }()
		select {
		case <-drained:
		case <-time.After(drainGrace):
		}
		p.abandon()
		outR.Close()
		errR.Close()
		stdinW.Close()
		p.release()
		close(p.exited)
	}()
	return p, nil
}

// onFrame hands a frame to the job's reader. When the reader is behind,
// reading the process's output waits: the process then blocks writing, so
// a flood of frames costs the host a fixed amount of memory, never a
// goroutine or a buffer per frame.
func (p *process) onFrame(b []byte) {
	var f frame
	if err := json.Unmarshal(b, &f); err != nil {
		return // a broken frame is dropped
	}
	select {
	case p.frames <- f:
	case <-p.abandoned:
	}
}

// abandon tells the output readers that frames are no longer wanted.
func (p *process) abandon() { p.abandonOnce.Do(func() { close(p.abandoned) }) }

// setKey arms both output streams for the job's key.
func (p *process) setKey(key string) {
	p.taken.Store(true)
	p.split.setKey(key)
	p.errSplit.setKey(key)
}

// send writes one message to the bootstrap's stdin (a job or a reply).
func (p *process) send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	p.stdinMu.Lock()
	defer p.stdinMu.Unlock()
	_, err = p.stdin.Write(b)
	return err
}

// stop ends the process group: SIGTERM, then SIGKILL after a grace period.
func (p *process) stop() {
	signalGroup(p.cmd, false)
	select {
	case <-p.exited:
		return
	case <-time.After(killGrace):
	}
	signalGroup(p.cmd, true)
	<-p.exited
}

// isReady reports whether the process has booted.
func (p *process) isReady() bool {
	select {
	case <-p.ready:
		return true
	default:
		return false
	}
}

// alive reports whether the process is still running.
func (p *process) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// exitCode returns the exit status, or -1 when killed by a signal.
func (p *process) exitCode() int {
	if p.cmd.ProcessState == nil {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}
