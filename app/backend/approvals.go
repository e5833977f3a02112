package backend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/conductor/appask"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

// ApprovalQuestion is a tool call, made from code, that waits for the
// person's answer in the window.
type ApprovalQuestion struct {
	// ID names the question for AnswerApproval.
	ID string `json:"id"`
	// Client is the AI client whose code makes the call ("playground" for
	// the Playground's; "" if unknown).
	Client string `json:"client"`
	Server string `json:"server"`
	Tool   string `json:"tool"`
	// Args are the call's arguments as indented JSON, secrets masked.
	Args string `json:"args"`
	// Why is the rule that asks.
	Why string `json:"why"`
	// Choices are the answers, in the order to offer them.
	Choices []string `json:"choices"`
	// Skill, if set, is a skill the AI client wants to save, instead of a
	// tool call (Server, Tool and Args are then empty).
	Skill *SkillToSave `json:"skill,omitempty"`
}

// SkillToSave is a skill that waits for the person's approval to be saved.
type SkillToSave struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Replaces says it replaces the saved skill of that name.
	Replaces bool `json:"replaces"`
	// Source is its TypeScript, whole.
	Source string `json:"source"`
}

// approvals are the questions waiting in the window.
type approvals struct {
	mu      sync.Mutex
	waiting []*pending
	gone    chan struct{} // closed when the backend closes
}

type pending struct {
	q      ApprovalQuestion
	answer chan proxy.Choice // buffered
}

// Approvals lists the questions waiting for the person, oldest first.
func (b *Backend) Approvals() []ApprovalQuestion {
	b.approvals.mu.Lock()
	defer b.approvals.mu.Unlock()
	out := make([]ApprovalQuestion, 0, len(b.approvals.waiting))
	for _, p := range b.approvals.waiting {
		out = append(out, p.q)
	}
	return out
}

// AnswerApproval gives the person's choice (one of the question's Choices)
// to the question id.
func (b *Backend) AnswerApproval(id, choice string) error {
	b.approvals.mu.Lock()
	var p *pending
	for i, w := range b.approvals.waiting {
		if w.q.ID == id {
			if !slices.Contains(w.q.Choices, choice) {
				b.approvals.mu.Unlock()
				return fmt.Errorf("%q is not one of this question's answers", choice)
			}
			p = w
			b.approvals.waiting = slices.Delete(b.approvals.waiting, i, i+1)
			break
		}
	}
	b.approvals.mu.Unlock()
	if p == nil {
		return errors.New("this question is no longer waiting: the code stopped waiting for it (its time ran out, or it ended)")
	}
	p.answer <- proxy.Choice(choice)
	b.approvalsChanged()
	return nil
}

func (b *Backend) approvalsChanged() {
	if b.opts.OnApprovals != nil {
		b.opts.OnApprovals()
	}
}

// askWindow puts q to the person in the window and waits for the answer,
// until ctx ends (the question is then withdrawn). Without a window it
// says so at once.
func (b *Backend) askWindow(ctx context.Context, q appask.Question) (proxy.Choice, error) {
	if b.opts.OnApprovals == nil {
		return "", errors.New("the desktop app has no window to ask in")
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	p := &pending{answer: make(chan proxy.Choice, 1), q: ApprovalQuestion{
		ID: hex.EncodeToString(id), Client: q.Client, Server: q.Server, Tool: q.Tool, Args: indent(q.Args), Why: q.Why,
	}}
	for _, c := range q.Request().Offered() {
		p.q.Choices = append(p.q.Choices, string(c))
	}
	if sk := q.Skill; sk != nil {
		p.q.Skill = &SkillToSave{Name: sk.Name, Description: sk.Description, Replaces: sk.Replaces, Source: sk.Source}
	}
	b.approvals.mu.Lock()
	b.approvals.waiting = append(b.approvals.waiting, p)
	b.approvals.mu.Unlock()
	b.approvalsChanged()
	select {
	case c := <-p.answer:
		return c, nil
	case <-b.approvals.gone:
		return "", errors.New("the desktop app quit before the person answered")
	case <-ctx.Done():
		b.approvals.mu.Lock()
		b.approvals.waiting = slices.DeleteFunc(b.approvals.waiting, func(w *pending) bool { return w == p })
		b.approvals.mu.Unlock()
		b.approvalsChanged()
		return "", ctx.Err()
	}
}

// windowAsker asks the window for the app's own engine (its endpoint and
// Playground), recorded as the app's answer.
func (b *Backend) windowAsker(client, noClient string) proxy.Asker {
	return func(ctx context.Context, req proxy.ApprovalRequest) (proxy.Answer, error) {
		c, err := b.askWindow(ctx, appask.Question{Client: client, Server: req.Server, Tool: req.Tool, Args: req.Args, Why: req.Why, Skill: req.Skill})
		if err != nil {
			if ctx.Err() != nil {
				return proxy.Answer{Via: appask.Via}, ctx.Err()
			}
			if noClient != "" {
				return proxy.Answer{}, fmt.Errorf("no one could be asked: %s, and %w; %s", noClient, err, req.Remedy())
			}
			return proxy.Answer{}, fmt.Errorf("no one could be asked: %w; %s", err, req.Remedy())
		}
		return proxy.Answer{Choice: c, Via: appask.Via, Approver: "the person at the desktop app"}, nil
	}
}

// indent is args as indented JSON for the person to read.
func indent(args json.RawMessage) string {
	var v any
	if json.Unmarshal(args, &v) != nil {
		return string(args)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return string(args)
	}
	return string(b)
}
