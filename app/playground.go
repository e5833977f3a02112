package app

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

// RunRequest is code to run from the Playground.
type RunRequest struct {
	Code string `json:"code"`
	// TimeoutMs is the time limit; 0 means the administrator's default.
	TimeoutMs int64 `json:"timeoutMs"`
	// RunID, if set, names the run for StopRun.
	RunID string `json:"runId"`
}

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

// RunCode runs code exactly as an AI client's run_deno_code call would,
// under the settings in force, and returns the tool's structured result.
// A run stopped with StopRun ends as a "runtime" error saying it was
// cancelled.
func (a *App) RunCode(req RunRequest) (*sandbox.Result, error) {
	run, err := a.prepare(req)
	if err != nil {
		return nil, err
	}
	return run()
}

// RunDone is sent as EventRun when a run started with StartRun ends: its
// result, or why it could not run.
type RunDone struct {
	RunID  string          `json:"runId"`
	Result *sandbox.Result `json:"result"`
	Error  string          `json:"error"`
}

// StartRun starts what RunCode does and returns at once; the outcome comes
// as EventRun. The window uses it so that no call to the backend waits for
// a run (Wails' dev server answers one call at a time), and StopRun reaches
// the run while it goes.
func (a *App) StartRun(req RunRequest) error {
	if req.RunID == "" {
		return errors.New("a run needs an id")
	}
	run, err := a.prepare(req)
	if err != nil {
		return err
	}
	go func() {
		res, err := run()
		done := RunDone{RunID: req.RunID, Result: res}
		if err != nil {
			done.Error = err.Error()
		}
		a.cfg.Events.Emit(EventRun, done)
	}()
	return nil
}

// prepare checks req and registers it for StopRun; the function it returns
// runs it.
func (a *App) prepare(req RunRequest) (func() (*sandbox.Result, error), error) {
	c, err := a.coreOrErr("running code")
	if err != nil {
		return nil, err
	}
	if req.Code == "" {
		return nil, errors.New("there is no code to run")
	}
	e, err := c.Engine()
	if err != nil {
		return nil, fmt.Errorf("cannot run code: %w", err)
	}
	ctx, cancel := context.WithCancel(a.context())
	if req.RunID != "" {
		a.runs.add(req.RunID, cancel)
	}
	return func() (*sandbox.Result, error) {
		defer cancel()
		defer a.runs.remove(req.RunID)
		return e.Server().Execute(ctx, PlaygroundClient, server.RunInput{DenoCode: req.Code, Timeout: req.TimeoutMs})
	}, nil
}

// StopRun stops the Playground run called id; it reports whether such a
// run was in progress.
func (a *App) StopRun(id string) bool { return a.runs.stop(id) }
