package backend

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/appask"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// windowAsked is a backend with a window (its changes announced on
// changed) and a headless conductor's asker for the client "cli".
func windowAsked(t *testing.T) (context.Context, *Backend, chan struct{}, proxy.Asker) {
	t.Helper()
	home := filepath.Join(t.TempDir(), ".mcp-conductor")
	changed := make(chan struct{}, 16)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	b := Start(ctx, Options{Version: "test", Environ: []string{"PATH=", config.EnvHome + "=" + home},
		Logger: testenv.CaptureLogs(t).Logger(), OnApprovals: func() { changed <- struct{}{} }})
	t.Cleanup(func() { b.Close() })
	return ctx, b, changed, appask.Asker(appask.AskOptions{Home: home, Client: "cli"})
}

// A headless conductor's question reaches the window (Approvals, with the
// change announced), the person's answer goes back to it, and a question
// the asker stops waiting for is withdrawn.
func TestApprovalsReachTheWindow(t *testing.T) {
	ctx, b, changed, ask := windowAsked(t)
	req := proxy.ApprovalRequest{Server: "fs", Tool: "write_file", Args: json.RawMessage(`{"path":"a"}`), Why: "a rule"}

	for _, tc := range []struct{ answer, want string }{{"allow once", "allow once"}, {"deny", "deny"}} {
		got := make(chan proxy.Answer, 1)
		go func() { a, _ := ask(ctx, req); got <- a }()
		<-changed
		qs := b.Approvals()
		if len(qs) != 1 || qs[0].Client != "cli" || qs[0].Tool != "write_file" || !strings.Contains(qs[0].Args, `"path": "a"`) || len(qs[0].Choices) != 4 {
			t.Fatalf("questions %+v", qs)
		}
		if err := b.AnswerApproval(qs[0].ID, "maybe"); err == nil {
			t.Errorf("an answer that is not a choice was taken")
		}
		if err := b.AnswerApproval(qs[0].ID, tc.answer); err != nil {
			t.Fatal(err)
		}
		<-changed
		if a := <-got; string(a.Choice) != tc.want || a.Via != appask.Via {
			t.Errorf("answer %+v, want %s", a, tc.want)
		}
		if err := b.AnswerApproval(qs[0].ID, tc.answer); err == nil || !strings.Contains(err.Error(), "no longer waiting") {
			t.Errorf("answered twice: %v", err)
		}
	}

	// The asker gives up: the question leaves the window.
	actx, acancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := ask(actx, req); done <- err }()
	<-changed
	acancel()
	<-done
	<-changed
	if qs := b.Approvals(); len(qs) != 0 {
		t.Errorf("a withdrawn question still waits: %+v", qs)
	}
}

// A skill save reaches the window with the skill and only allow once and
// deny: the window cannot answer it with a choice it does not offer.
func TestSkillSaveQuestionInTheWindow(t *testing.T) {
	ctx, b, changed, ask := windowAsked(t)
	sk := &proxy.SkillSave{Name: "csv", Description: "Parses CSV.", Replaces: true, Source: "export function parse() {}\n"}
	got := make(chan proxy.Answer, 1)
	go func() {
		a, _ := ask(ctx, proxy.ApprovalRequest{Why: "skills.requireApproval in settings.json", Skill: sk})
		got <- a
	}()
	<-changed
	qs := b.Approvals()
	if len(qs) != 1 || qs[0].Skill == nil || *qs[0].Skill != (SkillToSave{Name: "csv", Description: "Parses CSV.", Replaces: true, Source: sk.Source}) ||
		strings.Join(qs[0].Choices, ",") != "allow once,deny" || qs[0].Client != "cli" || qs[0].Tool != "" {
		t.Fatalf("questions %+v", qs)
	}
	for _, c := range []string{"allow for this execution", "always allow this tool"} {
		if err := b.AnswerApproval(qs[0].ID, c); err == nil {
			t.Errorf("%q taken for a skill save", c)
		}
	}
	if err := b.AnswerApproval(qs[0].ID, "allow once"); err != nil {
		t.Fatal(err)
	}
	if a := <-got; a.Choice != proxy.ChoiceOnce || a.Via != appask.Via {
		t.Errorf("answer %+v", a)
	}
}

// Without a window the app does not take questions: askers are told no
// app can ask.
func TestNoWindowNoQuestions(t *testing.T) {
	home := filepath.Join(t.TempDir(), ".mcp-conductor")
	ctx := context.Background()
	b := Start(ctx, Options{Version: "test", Environ: []string{"PATH=", config.EnvHome + "=" + home}, Logger: testenv.CaptureLogs(t).Logger()})
	defer b.Close()
	_, err := appask.Asker(appask.AskOptions{Home: home})(ctx, proxy.ApprovalRequest{Server: "fs", Tool: "t"})
	if err == nil || !strings.Contains(err.Error(), "not running") {
		t.Fatalf("%v", err)
	}
	if _, err := b.windowAsker("x", "")(ctx, proxy.ApprovalRequest{}); err == nil || !strings.Contains(err.Error(), "no window") {
		t.Fatalf("%v", err)
	}
}
