package app

import (
	"context"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// activityPoll is how often the audit log is checked for new runs.
const activityPoll = 500 * time.Millisecond

// Activity returns the newest executions from the audit log, newest first.
func (a *App) Activity(q backend.ActivityQuery) ([]backend.Execution, error) {
	b, err := a.backendOrErr("activity")
	if err != nil {
		return nil, err
	}
	return b.Activity(q)
}

// watchActivity sends EventExecution for every execution any process
// writes to the audit log (the app's own runs and those of the --stdio
// servers AI clients start), until ctx ends.
func (a *App) watchActivity(ctx context.Context) {
	if b := a.cfg.Backend; b != nil {
		b.WatchActivity(ctx, activityPoll, func(e backend.Execution) {
			a.cfg.Events.Emit(EventExecution, e)
		})
	}
}
