package backend

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// PlaygroundClient is the client name the Playground's runs are recorded
// under in the audit log.
const PlaygroundClient = "playground"

// RunResult is run_deno_code's structured result (sandbox.Result). It is
// an alias, not a copy: the Playground shows exactly what an AI client's
// call gets.
type RunResult = sandbox.Result

// RunRequest is code to run from the Playground.
type RunRequest struct {
	Code string `json:"code"`
	// TimeoutMs is the time limit; 0 means the administrator's default.
	TimeoutMs int64 `json:"timeoutMs"`
	// RunID, if set, names the run for StopRun.
	RunID string `json:"runId"`
	// Language is "python" for run_python_code, else run_deno_code.
	Language string `json:"language"`
}

// A Run is Playground code that was started; Wait returns its outcome.
type Run struct {
	done chan struct{}
	res  *RunResult
	err  error
}

// Wait blocks until the run ends and returns the tool's structured result,
// or why it could not run.
func (r *Run) Wait() (*RunResult, error) {
	<-r.done
	return r.res, r.err
}

// StartRun starts code exactly as an AI client's run_deno_code call would,
// under the settings in force, recorded as PlaygroundClient's. A request
// without code, or without an engine, is refused at once. A run stopped
// with StopRun, or whose ctx ends, ends as a "runtime" error saying it was
// cancelled.
func (b *Backend) StartRun(ctx context.Context, req RunRequest) (*Run, error) {
	if req.Code == "" {
		return nil, errors.New("there is no code to run")
	}
	if req.Language != "" && req.Language != "python" && req.Language != "javascript" {
		return nil, fmt.Errorf("unknown language %q: choose javascript or python", req.Language)
	}
	e, err := b.engine()
	if err != nil {
		return nil, fmt.Errorf("cannot run code: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	if req.RunID != "" {
		b.runs.add(req.RunID, cancel)
	}
	r := &Run{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer cancel()
		defer b.runs.remove(req.RunID)
		r.res, r.err = e.Server().Execute(ctx, PlaygroundClient, server.RunInput{DenoCode: req.Code, Timeout: req.TimeoutMs, Python: req.Language == "python"})
	}()
	return r, nil
}

// StopRun stops the Playground run called id; it reports whether such a
// run was in progress.
func (b *Backend) StopRun(id string) bool { return b.runs.stop(id) }

// runs are the Playground's runs in progress, by RunID.
type runs struct {
	mu     sync.Mutex
	cancel map[string]context.CancelFunc
}

func (r *runs) add(id string, cancel context.CancelFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel == nil {
		r.cancel = map[string]context.CancelFunc{}
	}
	r.cancel[id] = cancel
}

func (r *runs) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.cancel, id)
}

func (r *runs) stop(id string) bool {
	r.mu.Lock()
	cancel, ok := r.cancel[id]
	r.mu.Unlock()
	if ok {
		cancel()
	}
	return ok
}
