package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
)

// ActivityQuery filters the Activity page.
type ActivityQuery struct {
	// Status is "success", "error" or "" (all).
	Status string `json:"status"`
	// Limit caps the executions returned; 0 means 200.
	Limit int `json:"limit"`
}

// Execution is one run of code, with the MCP tool calls it made.
type Execution struct {
	ID         string     `json:"id"`
	Time       time.Time  `json:"time"`
	Client     string     `json:"client"`
	Status     string     `json:"status"` // success / error
	ErrorType  string     `json:"errorType"`
	Error      string     `json:"error"`
	DurationMs float64    `json:"durationMs"`
	Code       string     `json:"code"`
	Stdout     string     `json:"stdout"`
	Stderr     string     `json:"stderr"`
	ToolCalls  int        `json:"toolCalls"`
	Calls      []ToolCall `json:"calls"`
}

// ToolCall is one MCP tool call made by sandboxed code.
type ToolCall struct {
	Server     string  `json:"server"`
	Tool       string  `json:"tool"`
	OK         bool    `json:"ok"`
	Error      string  `json:"error"`
	DurationMs float64 `json:"durationMs"`
}

const (
	// scanRecords bounds how far back the audit log is read.
	scanRecords = 5000
	// activityPoll is how often the audit log is checked for new runs.
	activityPoll = 500 * time.Millisecond
)

// watchActivity sends EventExecution for every execution any process
// writes to the audit log (the app's own runs and those of the --stdio
// servers AI clients start), until ctx ends.
func (a *App) watchActivity(ctx context.Context) {
	c := a.cfg.Core
	if c == nil {
		return
	}
	c.WatchAudit(ctx, activityPoll, func(recs []audit.Record) {
		newestFirst := slices.Clone(recs)
		slices.Reverse(newestFirst)
		es := executions(newestFirst, ActivityQuery{Limit: len(recs)})
		for i := len(es) - 1; i >= 0; i-- {
			a.cfg.Events.Emit(EventExecution, es[i])
		}
	})
}

// Activity returns the newest executions from the audit log, newest first.
func (a *App) Activity(q ActivityQuery) ([]Execution, error) {
	c, err := a.coreOrErr("activity")
	if err != nil {
		return nil, err
	}
	switch q.Status {
	case "", "success", "error":
	default:
		return nil, fmt.Errorf("activity: unknown status %q (success, error or empty)", q.Status)
	}
	if q.Limit <= 0 {
		q.Limit = 200
	}
	p, err := c.Policy()
	if err != nil {
		return nil, fmt.Errorf("activity: %w", err)
	}
	recs, err := audit.Open(p.AuditLog()).Recent(scanRecords)
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	return executions(recs, q), nil
}

// executions groups records (newest first) into executions with their calls.
func executions(recs []audit.Record, q ActivityQuery) []Execution {
	calls := map[string][]ToolCall{}
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if r.Kind == "tool_call" {
			calls[r.ExecutionID] = append(calls[r.ExecutionID], ToolCall{
				Server: r.Server, Tool: r.Tool, OK: r.OK != nil && *r.OK, Error: r.Error, DurationMs: r.DurationMs})
		}
	}
	out := []Execution{}
	for _, r := range recs {
		if r.Kind != "execution" || q.Status != "" && r.Status != q.Status {
			continue
		}
		e := ExecutionOf(r)
		if cs := calls[r.ExecutionID]; cs != nil {
			e.Calls = cs
		}
		if out = append(out, e); len(out) == q.Limit {
			break
		}
	}
	return out
}

// ExecutionOf turns an execution's audit record into an Execution (its
// calls are not in the record: Calls is empty).
func ExecutionOf(r audit.Record) Execution {
	return Execution{
		ID: r.ExecutionID, Time: r.Time, Client: r.Client, Status: r.Status, ErrorType: r.ErrorType,
		Error: r.Error, DurationMs: r.DurationMs, Code: r.Code, Stdout: r.Stdout, Stderr: r.Stderr,
		ToolCalls: r.ToolCalls, Calls: []ToolCall{},
	}
}
