package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

// approvalUpstream serves three tools, "read" (read-only), "write"
// (destructive) and "plain" (no annotations), and counts the calls that
// reached each.
func approvalUpstream(t *testing.T) (string, map[string]*atomic.Int32) {
	srv := mcp.NewServer(&mcp.Implementation{Name: "up", Version: "1"}, nil)
	calls := map[string]*atomic.Int32{}
	for name, ann := range map[string]*mcp.ToolAnnotations{
		"read":  {ReadOnlyHint: true},
		"write": {DestructiveHint: ptr(true)},
		"plain": nil,
	} {
		calls[name] = &atomic.Int32{}
		srv.AddTool(&mcp.Tool{Name: name, InputSchema: map[string]any{"type": "object"}, Annotations: ann},
			func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				calls[name].Add(1)
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ran " + name}}}, nil
			})
	}
	return testUpstream(t, srv, nil), calls
}

func ptr[T any](v T) *T { return &v }

func TestApprovalRuleFor(t *testing.T) {
	a := mcpconfig.Approval{Default: mcpconfig.RuleAsk, Allow: []string{"get_*", "delete_draft"}, Ask: []string{"create_*"}, Deny: []string{"delete_*", "get_secret"}}
	for tool, want := range map[string]mcpconfig.Rule{
		"get_issue":    mcpconfig.RuleAllow, // pattern
		"get_secret":   mcpconfig.RuleDeny,  // a name written out wins over a pattern
		"delete_repo":  mcpconfig.RuleDeny,
		"delete_draft": mcpconfig.RuleAllow, // written out beats the deny pattern
		"create_issue": mcpconfig.RuleAsk,
		"other":        mcpconfig.RuleAsk, // default
	} {
		if got, _ := a.RuleFor(tool); got != want {
			t.Errorf("%s: %s, want %s", tool, got, want)
		}
	}
	if got, _ := (mcpconfig.Approval{Ask: []string{"x*"}, Deny: []string{"x?"}}).RuleFor("xy"); got != mcpconfig.RuleDeny {
		t.Errorf("of two matching patterns the strictest wins: got %s", got)
	}
	for _, tt := range []struct {
		ann  *mcp.ToolAnnotations
		want bool
	}{
		{nil, true},
		{&mcp.ToolAnnotations{}, true},
		{&mcp.ToolAnnotations{ReadOnlyHint: true}, false},
		{&mcp.ToolAnnotations{ReadOnlyHint: true, DestructiveHint: ptr(true)}, true},
		{&mcp.ToolAnnotations{DestructiveHint: ptr(false)}, true},
	} {
		if got := mayChange(&mcp.Tool{Annotations: tt.ann}); got != tt.want {
			t.Errorf("mayChange(%+v) = %v", tt.ann, got)
		}
	}
}

func TestApprovals(t *testing.T) {
	url, calls := approvalUpstream(t)
	const secret = "hdr-9d8c7b6a5f4e"
	m := testManager(t, map[string]any{"up": map[string]any{"url": url, "headers": map[string]string{"X-Key": secret},
		"approval": map[string]any{"deny": []string{"plain"}}}}, Options{ApprovalTimeout: time.Millisecond})
	writeTop(t, m.Path(), true)
	ctx := context.Background()
	call := func(h func(context.Context, string, json.RawMessage) (any, error), tool string, args string) error {
		_, err := h(ctx, "callTool", json.RawMessage(`{"server":"up","tool":"`+tool+`","args":`+args+`}`))
		return err
	}
	// asker answers with the choices given, one per question, and keeps
	// the questions.
	type asked struct {
		mu   sync.Mutex
		reqs []ApprovalRequest
		recs []ApprovalRecord
	}
	handler := func(a *asked, answers ...Choice) func(context.Context, string, json.RawMessage) (any, error) {
		return m.Handler(ExecutionOptions{
			Ask: func(ctx context.Context, r ApprovalRequest) (Answer, error) {
				a.mu.Lock()
				defer a.mu.Unlock()
				a.reqs = append(a.reqs, r)
				if len(answers) == 0 {
					<-ctx.Done() // never answers
					return Answer{}, ctx.Err()
				}
				c := answers[0]
				answers = answers[1:]
				return Answer{Choice: c, Via: "test", Approver: "tester"}, nil
			},
			OnApproval: func(r ApprovalRecord) { a.mu.Lock(); a.recs = append(a.recs, r); a.mu.Unlock() },
		})
	}

	t.Run("read-only tools are not asked about", func(t *testing.T) {
		var a asked
		if err := call(handler(&a), "read", `{}`); err != nil || len(a.reqs) != 0 || calls["read"].Load() != 1 {
			t.Fatalf("err %v, asked %d, ran %d", err, len(a.reqs), calls["read"].Load())
		}
	})
	t.Run("nobody to ask denies", func(t *testing.T) {
		before := calls["write"].Load()
		err := call(m.Handle, "write", `{}`)
		if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), "no one could be asked") || calls["write"].Load() != before {
			t.Fatalf("err %v, ran %d", err, calls["write"].Load()-before)
		}
	})
	t.Run("deny rule asks no one", func(t *testing.T) {
		var a asked
		err := call(handler(&a, ChoiceAlways), "plain", `{}`)
		if !errors.Is(err, ErrDenied) || len(a.reqs) != 0 || calls["plain"].Load() != 0 {
			t.Fatalf("err %v, asked %d, ran %d", err, len(a.reqs), calls["plain"].Load())
		}
		if len(a.recs) != 1 || a.recs[0].Via != "rule" || a.recs[0].Allowed {
			t.Errorf("records %+v", a.recs)
		}
	})
	t.Run("once asks every time", func(t *testing.T) {
		var a asked
		h := handler(&a, ChoiceOnce, ChoiceDeny)
		before := calls["write"].Load()
		if err := call(h, "write", `{"token":"t0p","note":"has `+secret+`"}`); err != nil {
			t.Fatal(err)
		}
		err := call(h, "write", `{}`)
		if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), "tester denied it") {
			t.Fatalf("second call: %v", err)
		}
		if got := calls["write"].Load() - before; got != 1 || len(a.reqs) != 2 {
			t.Fatalf("ran %d, asked %d", got, len(a.reqs))
		}
		shown := string(a.reqs[0].Args)
		if strings.Contains(shown, "t0p") || strings.Contains(shown, secret) || !strings.Contains(shown, "note") {
			t.Errorf("arguments shown unmasked: %s", shown)
		}
		if len(a.recs) != 2 || !a.recs[0].Allowed || a.recs[0].Choice != ChoiceOnce || a.recs[0].Approver != "tester" || a.recs[1].Allowed {
			t.Errorf("records %+v", a.recs)
		}
	})
	t.Run("for this execution asks once", func(t *testing.T) {
		var a asked
		h := handler(&a, ChoiceExecution)
		before := calls["write"].Load()
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = call(h, "write", `{}`) }()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil || len(a.reqs) != 1 || calls["write"].Load()-before != 5 {
			t.Fatalf("err %v, asked %d, ran %d", err, len(a.reqs), calls["write"].Load()-before)
		}
		// Another execution asks again (and gets no answer in time).
		var b asked
		err := call(handler(&b), "write", `{}`)
		if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), "no answer within") || len(b.reqs) != 1 {
			t.Fatalf("another execution: %v, asked %d", err, len(b.reqs))
		}
	})
	t.Run("always is written to the file", func(t *testing.T) {
		m.reload()
		m.mu.Lock()
		before := m.servers["up"]
		m.mu.Unlock()
		var a asked
		if err := call(handler(&a, ChoiceAlways), "write", `{}`); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(m.Path())
		cfg, err := mcpconfig.Parse(m.Path(), b, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := cfg.Servers[0].Approval.RuleFor("write"); r != mcpconfig.RuleAllow {
			t.Fatalf("rule now %q in %s", r, b)
		}
		if r, _ := cfg.Servers[0].Approval.RuleFor("plain"); r != mcpconfig.RuleDeny || !cfg.AskForChanges {
			t.Fatalf("the rest of the file changed: %s", b)
		}
		// The next execution, with no one to ask, may call it, over the
		// same connection: a rule's change restarts no server.
		if err := call(m.Handle, "write", `{}`); err != nil {
			t.Fatal(err)
		}
		m.mu.Lock()
		after := m.servers["up"]
		m.mu.Unlock()
		if after != before || after.closed {
			t.Errorf("the upstream was replaced after a rule changed")
		}
	})
	t.Run("a choice not offered denies", func(t *testing.T) {
		var a asked
		if err := call(handler(&a, "allow everything"), "read", `{}`); err != nil {
			t.Fatal(err) // read-only: not asked
		}
		m2 := testManager(t, map[string]any{"up": map[string]any{"url": url, "approval": map[string]any{"ask": []string{"*"}}}}, Options{})
		h := m2.Handler(ExecutionOptions{Ask: func(context.Context, ApprovalRequest) (Answer, error) { return Answer{Choice: "allow everything"}, nil }})
		_, err := h(ctx, "callTool", json.RawMessage(`{"server":"up","tool":"read","args":{}}`))
		if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), "not one of the choices") {
			t.Fatalf("err %v", err)
		}
	})
}

// writeTop rewrites the file at path with its top-level "askForChanges".
func writeTop(t *testing.T, path string, ask bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	top["askForChanges"] = ask
	b, _ = json.Marshal(top)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// The manager re-reads a file whose size or time changed.
	future := time.Now().Add(2 * time.Second)
	_ = os.Chtimes(path, future, future)
}
