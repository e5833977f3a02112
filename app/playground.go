package app

import (
	"errors"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// RunCode runs code exactly as an AI client's run_deno_code call would,
// under the settings in force, and returns the tool's structured result.
// A run stopped with StopRun ends as a "runtime" error saying it was
// cancelled.
func (a *App) RunCode(req backend.RunRequest) (*backend.RunResult, error) {
	b, err := a.backendOrErr("running code")
	if err != nil {
		return nil, err
	}
	run, err := b.StartRun(a.context(), req)
	if err != nil {
		return nil, err
	}
	return run.Wait()
}

// RunDone is sent as EventRun when a run started with StartRun ends: its
// result, or why it could not run.
type RunDone struct {
	RunID  string             `json:"runId"`
	Result *backend.RunResult `json:"result"`
	Error  string             `json:"error"`
}

// StartRun starts what RunCode does and returns at once; the outcome comes
// as EventRun. The window uses it so that no call to the backend waits for
// a run (Wails' dev server answers one call at a time), and StopRun reaches
// the run while it goes.
func (a *App) StartRun(req backend.RunRequest) error {
	if req.RunID == "" {
		return errors.New("a run needs an id")
	}
	b, err := a.backendOrErr("running code")
	if err != nil {
		return err
	}
	run, err := b.StartRun(a.context(), req)
	if err != nil {
		return err
	}
	go func() {
		res, err := run.Wait()
		done := RunDone{RunID: req.RunID, Result: res}
		if err != nil {
			done.Error = err.Error()
		}
		a.cfg.Events.Emit(EventRun, done)
	}()
	return nil
}

// StopRun stops the Playground run called id; it reports whether such a
// run was in progress.
func (a *App) StopRun(id string) bool {
	b := a.cfg.Backend
	return b != nil && b.StopRun(id)
}
