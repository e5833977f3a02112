package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/notify"
)

// The notification follows the questions and the window: shown for the
// newest question while the window is hidden, replaced by a newer one,
// withdrawn when none waits or the window shows; a click opens the window.
func TestApprovalNotes(t *testing.T) {
	var log []string
	var qs []backend.ApprovalQuestion
	hidden, opened := true, false
	next := uint32(0)
	n := &approvalNotes{
		show: func(_ context.Context, m notify.Notification) (uint32, error) {
			next++
			log = append(log, fmt.Sprintf("show %d %s", next, m.Body))
			m.OnClick()
			return next, nil
		},
		withdraw: func(_ context.Context, id uint32) error {
			log = append(log, fmt.Sprintf("withdraw %d", id))
			return nil
		},
		hidden:    func() bool { return hidden },
		open:      func() { opened = true },
		questions: func() []backend.ApprovalQuestion { return qs },
	}
	q := func(id, client string) backend.ApprovalQuestion {
		return backend.ApprovalQuestion{ID: id, Client: client, Server: "filesystem", Tool: "write_file"}
	}
	steps := []struct {
		name string
		do   func()
		want string // the log's new entries, joined by "; "
	}{
		{"nothing waits", func() {}, ""},
		{"a question while hidden", func() { qs = []backend.ApprovalQuestion{q("a", "cursor")} }, "show 1 Code run by cursor wants to call write_file of the MCP server filesystem. Open MCP Conductor to allow or deny it."},
		{"the same again", func() {}, ""},
		{"a second question", func() { qs = append(qs, q("b", "playground")) }, "withdraw 1; show 2 Code wants to call write_file of the MCP server filesystem. Open MCP Conductor to allow or deny it. (2 questions wait.)"},
		{"the window shows", func() { hidden = false }, "withdraw 2"},
		{"hidden again", func() { hidden = true }, "show 3 Code wants to call write_file of the MCP server filesystem. Open MCP Conductor to allow or deny it. (2 questions wait.)"},
		{"all answered", func() { qs = nil }, "withdraw 3"},
		{"a skill to save", func() {
			qs = []backend.ApprovalQuestion{{ID: "c", Client: "cursor", Skill: &backend.SkillToSave{Name: "csv"}}}
		}, "show 4 cursor wants to save the skill csv. Open MCP Conductor to see it and allow or deny it."},
	}
	for _, s := range steps {
		before := len(log)
		s.do()
		if err := n.update(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(log[before:], "; "); got != s.want {
			t.Errorf("%s:\n got %q\nwant %q", s.name, got, s.want)
		}
	}
	if !opened {
		t.Error("a click did not open the window")
	}
}

// Without notifications, or when one cannot be shown, a question that
// arrives while the window is hidden shows the window: it never waits
// unseen until its time runs out.
func TestApprovalNotesWithoutNotifications(t *testing.T) {
	failing := func(context.Context, notify.Notification) (uint32, error) { return 0, notify.ErrUnsupported }
	for _, tc := range []struct {
		name    string
		show    func(context.Context, notify.Notification) (uint32, error)
		wantErr bool
	}{
		{"no notifications on this system", nil, false},
		{"the notification server refuses", failing, true},
	} {
		hidden, opened := true, 0
		var qs []backend.ApprovalQuestion
		n := &approvalNotes{
			show:      tc.show,
			withdraw:  func(context.Context, uint32) error { t.Fatal("nothing was shown to withdraw"); return nil },
			hidden:    func() bool { return hidden },
			open:      func() { opened++; hidden = false },
			questions: func() []backend.ApprovalQuestion { return qs },
		}
		if err := n.update(context.Background()); err != nil || opened != 0 {
			t.Fatalf("%s: with no question: %v, opened %d times", tc.name, err, opened)
		}
		qs = []backend.ApprovalQuestion{{ID: "a", Client: "cursor", Server: "filesystem", Tool: "write_file"}}
		err := n.update(context.Background())
		if (err != nil) != tc.wantErr || opened != 1 {
			t.Fatalf("%s: a question while hidden: %v, the window opened %d times; want it opened once", tc.name, err, opened)
		}
		if err := n.update(context.Background()); err != nil || opened != 1 {
			t.Fatalf("%s: the window shows the question: %v, opened %d times", tc.name, err, opened)
		}
	}
}
