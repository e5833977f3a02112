package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/notify"
)

// approvalNotes shows one desktop notification while approval questions
// wait and the window is hidden: about the newest question, replaced when
// another arrives, withdrawn when none waits or the window shows. A click
// on it shows the window, whose dialog holds the question. Where there is
// no notification (show is nil: macOS and Windows, or a Linux desktop
// without a notification server) or it cannot be shown, the window itself
// is shown: a question must never wait unseen until its time runs out.
type approvalNotes struct {
	show      func(context.Context, notify.Notification) (uint32, error) // nil: none
	withdraw  func(context.Context, uint32) error
	hidden    func() bool
	open      func()
	questions func() []backend.ApprovalQuestion

	mu    sync.Mutex // held through each update, so updates never interleave
	about string     // the question the notification shown is about; "" none
	id    uint32
}

// update brings the notification in line with the questions and the
// window; it returns what it could not do.
func (n *approvalNotes) update(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	qs := n.questions()
	want := ""
	if len(qs) > 0 && n.hidden() {
		want = qs[len(qs)-1].ID
	}
	if want == n.about {
		return nil
	}
	if n.about != "" {
		n.about = ""
		if err := n.withdraw(ctx, n.id); err != nil {
			return err
		}
	}
	if want == "" {
		return nil
	}
	q := qs[len(qs)-1]
	who := "Code run by " + q.Client
	if q.Client == "" || q.Client == backend.PlaygroundClient {
		who = "Code"
	}
	title := "A tool call waits for your approval"
	body := fmt.Sprintf("%s wants to call %s of the MCP server %s. Open MCP Conductor to allow or deny it.", who, q.Tool, q.Server)
	if q.Skill != nil {
		title = "A skill waits for your approval"
		client := q.Client
		if client == "" {
			client = "An AI client"
		}
		body = fmt.Sprintf("%s wants to save the skill %s. Open MCP Conductor to see it and allow or deny it.", client, q.Skill.Name)
	}
	if len(qs) > 1 {
		body += fmt.Sprintf(" (%d questions wait.)", len(qs))
	}
	if n.show == nil {
		n.open()
		return nil
	}
	id, err := n.show(ctx, notify.Notification{Title: title, Body: body, OnClick: n.open})
	if err != nil {
		n.open()
		return fmt.Errorf("%w (the window was shown instead)", err)
	}
	n.about, n.id = want, id
	return nil
}
