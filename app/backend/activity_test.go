package backend

import (
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
)

func TestPlaygroundAndActivity(t *testing.T) {
	f := withDeno(t)
	runs := []struct {
		code      string
		status    string
		errorType string
		value     any
		stdout    string
	}{
		{code: `console.log("hi"); [1, 2].map((x) => x * 2)`, status: "success", value: []any{float64(2), float64(4)}, stdout: "hi\n"},
		{code: `throw new Error("boom")`, status: "error", errorType: "runtime"},
		{code: `const x = ;`, status: "error", errorType: "syntax"},
		{code: `await new Promise((r) => setTimeout(r, 5000))`, status: "error", errorType: "timeout"},
	}
	for _, r := range runs {
		res, err := f.run(RunRequest{Code: r.code, TimeoutMs: 1000})
		if err != nil {
			t.Fatalf("%s: %v", r.code, err)
		}
		if res.Status != r.status || res.Stdout != r.stdout || (res.Error != nil) != (r.errorType != "") ||
			res.Error != nil && string(res.Error.Type) != r.errorType || r.value != nil && len(res.ReturnValue.([]any)) != 2 {
			t.Errorf("%s: %+v (%+v)", r.code, res, res.Error)
		}
	}
	if _, err := f.run(RunRequest{}); err == nil {
		t.Error("empty code ran")
	}

	tests := []struct {
		q       ActivityQuery
		want    int
		wantErr string
	}{
		{ActivityQuery{}, 4, ""},
		{ActivityQuery{Status: "success"}, 1, ""},
		{ActivityQuery{Status: "error"}, 3, ""},
		{ActivityQuery{Status: "error", Limit: 2}, 2, ""},
		{ActivityQuery{Status: "maybe"}, 0, "unknown status"},
	}
	for _, tt := range tests {
		got, err := f.b.Activity(tt.q)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%+v: err = %v", tt.q, err)
			}
			continue
		}
		if err != nil || len(got) != tt.want {
			t.Errorf("%+v: %d executions, %v; want %d", tt.q, len(got), err, tt.want)
			continue
		}
		for _, e := range got {
			if e.Client != PlaygroundClient || e.Code == "" || e.ID == "" || e.Calls == nil {
				t.Errorf("%+v: execution %+v", tt.q, e)
			}
		}
	}
	all, _ := f.b.Activity(ActivityQuery{})
	if !strings.Contains(all[0].Code, "setTimeout") || all[0].ErrorType != "timeout" || all[3].Stdout != "hi\n" {
		t.Errorf("newest first, with code and output: %+v", all)
	}
}

func TestExecutionsGroupToolCalls(t *testing.T) {
	ok, failed := true, false
	now := time.Now()
	// Newest first, as audit.Log.Recent returns them.
	recs := []audit.Record{
		{Kind: "tool_call", ExecutionID: "b", Server: "s", Tool: "t2", OK: &failed, Error: "nope"},
		{Kind: "tool_call", ExecutionID: "b", Server: "s", Tool: "t1", OK: &ok},
		{Kind: "approval", ExecutionID: "b", Server: "s", Tool: "t2", OK: &failed, Rule: "ask", Via: "elicitation", Approver: "cursor", Decision: "deny", Error: "cursor denied it"},
		{Kind: "approval", ExecutionID: "b", Server: "s", Tool: "t1", OK: &ok, Rule: "ask", Via: "elicitation", Approver: "cursor", Decision: "allow once"},
		{Kind: "execution", ExecutionID: "b", Time: now, Client: "cursor", Status: "error", ToolCalls: 2},
		{Kind: "execution", ExecutionID: "a", Time: now.Add(-time.Second), Client: "claude", Status: "success"},
	}
	got := executions(recs, ActivityQuery{Limit: 10})
	if len(got) != 2 || got[0].ID != "b" || len(got[0].Calls) != 2 || got[0].Calls[0].Tool != "t1" || got[0].Calls[1].OK || len(got[1].Calls) != 0 {
		t.Errorf("executions %+v", got)
	}
	if a := got[0].Approvals; len(a) != 2 || a[0].Tool != "t1" || !a[0].Allowed || a[0].Decision != "allow once" || a[1].Allowed || a[1].Reason != "cursor denied it" || a[1].Approver != "cursor" || len(got[1].Approvals) != 0 {
		t.Errorf("approvals %+v", got[0].Approvals)
	}
}
