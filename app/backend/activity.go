package backend

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
	Language   string     `json:"language"` // "python", or "" for TypeScript/JavaScript
	Stdout     string     `json:"stdout"`
	Stderr     string     `json:"stderr"`
	ToolCalls  int        `json:"toolCalls"`
	Calls      []ToolCall `json:"calls"`
	// Approvals are the decisions on the calls that needed one, in order.
	Approvals []Approval `json:"approvals"`
}

// Approval is the decision on one tool call that needed approval (or that
// a rule denied): who decided, how, and why.
type Approval struct {
	Time     time.Time `json:"time"`
	Server   string    `json:"server"`
	Tool     string    `json:"tool"`
	Allowed  bool      `json:"allowed"`
	Rule     string    `json:"rule"`     // ask or deny
	Why      string    `json:"why"`      // the rule that asked, and where it is
	Decision string    `json:"decision"` // the person's choice; "" when no one answered
	Via      string    `json:"via"`      // elicitation, rule, nobody
	Approver string    `json:"approver"` // who answered: the MCP client's name
	Reason   string    `json:"reason"`   // why it was denied
}

// ToolCall is one MCP tool call made by sandboxed code.
type ToolCall struct {
	Server     string  `json:"server"`
	Tool       string  `json:"tool"`
	OK         bool    `json:"ok"`
	Error      string  `json:"error"`
	DurationMs float64 `json:"durationMs"`
}

// scanRecords bounds how far back the audit log is read.
const scanRecords = 5000

// WatchActivity calls fn with every execution any process writes to the
// audit log from now on (the app's own runs and those of the --stdio
// servers AI clients start), oldest first, checking every interval, until
// ctx ends. Executions reach fn without their tool calls, which the log
// records after them.
func (b *Backend) WatchActivity(ctx context.Context, every time.Duration, fn func(Execution)) {
	b.watchAudit(ctx, every, func(recs []audit.Record) {
		newestFirst := slices.Clone(recs)
		slices.Reverse(newestFirst)
		es := executions(newestFirst, ActivityQuery{Limit: len(recs)})
		for i := len(es) - 1; i >= 0; i-- {
			fn(es[i])
		}
	})
}

// Activity returns the newest executions from the audit log, newest first.
func (b *Backend) Activity(q ActivityQuery) ([]Execution, error) {
	switch q.Status {
	case "", "success", "error":
	default:
		return nil, fmt.Errorf("activity: unknown status %q (success, error or empty)", q.Status)
	}
	if q.Limit <= 0 {
		q.Limit = 200
	}
	log, err := b.auditLog()
	if err != nil {
		return nil, fmt.Errorf("activity: %w", err)
	}
	recs, err := log.Recent(scanRecords)
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	return executions(recs, q), nil
}

// auditLog is the engine's audit log or, without an engine, the one of
// the policy the settings give now.
func (b *Backend) auditLog() (*audit.Log, error) {
	if e, err := b.engine(); err == nil {
		return e.Audit(), nil
	}
	p, err := b.policy()
	if err != nil {
		return nil, err
	}
	return audit.Open(p.AuditLog()), nil
}

// executions groups records (newest first) into executions with their calls.
func executions(recs []audit.Record, q ActivityQuery) []Execution {
	calls := map[string][]ToolCall{}
	approvals := map[string][]Approval{}
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		switch r.Kind {
		case "tool_call":
			calls[r.ExecutionID] = append(calls[r.ExecutionID], ToolCall{
				Server: r.Server, Tool: r.Tool, OK: r.OK != nil && *r.OK, Error: r.Error, DurationMs: r.DurationMs})
		case "approval":
			approvals[r.ExecutionID] = append(approvals[r.ExecutionID], Approval{
				Time: r.Time, Server: r.Server, Tool: r.Tool, Allowed: r.OK != nil && *r.OK, Rule: r.Rule, Why: r.Why,
				Decision: r.Decision, Via: r.Via, Approver: r.Approver, Reason: r.Error})
		}
	}
	out := []Execution{}
	for _, r := range recs {
		if r.Kind != "execution" || q.Status != "" && r.Status != q.Status {
			continue
		}
		e := executionOf(r)
		if cs := calls[r.ExecutionID]; cs != nil {
			e.Calls = cs
		}
		if as := approvals[r.ExecutionID]; as != nil {
			e.Approvals = as
		}
		if out = append(out, e); len(out) == q.Limit {
			break
		}
	}
	return out
}

// executionOf turns an execution's audit record into an Execution (its
// calls are not in the record: Calls is empty).
func executionOf(r audit.Record) Execution {
	return Execution{
		ID: r.ExecutionID, Time: r.Time, Client: r.Client, Status: r.Status, ErrorType: r.ErrorType,
		Error: r.Error, DurationMs: r.DurationMs, Code: r.Code, Language: r.Language, Stdout: r.Stdout, Stderr: r.Stderr,
		ToolCalls: r.ToolCalls, Calls: []ToolCall{}, Approvals: []Approval{},
	}
}
