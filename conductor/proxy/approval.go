package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

// Choice is a person's answer to an approval request.
type Choice string

// The answers a person can give. The values are what the person reads.
const (
	ChoiceOnce      Choice = "allow once"
	ChoiceExecution Choice = "allow for this execution"
	ChoiceAlways    Choice = "always allow this tool"
	ChoiceDeny      Choice = "deny"
)

// Choices are the answers, in the order they are offered.
var Choices = []Choice{ChoiceOnce, ChoiceExecution, ChoiceAlways, ChoiceDeny}

// ApprovalRequest is what a person is asked to approve: one tool call
// made from code, or (Skill set) a skill an MCP client wants to save. Args
// are masked: secret-looking keys and the configured servers' secrets are
// replaced.
type ApprovalRequest struct {
	Server string
	Tool   string
	Args   json.RawMessage
	// Why is the rule that asks, for the person: "approval.ask in
	// mcp-config.json" or "askForChanges: the tool may change things".
	Why string
	// Skill, if set, is a skill to save rather than a tool call: Server,
	// Tool and Args are then empty.
	Skill *SkillSave
}

// SkillSave is a skill an MCP client asks to save (save_skill), put to the
// person when the administrator requires approval of saves.
type SkillSave struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Replaces says a skill of that name exists and would be replaced.
	Replaces bool `json:"replaces"`
	// Source is the skill's TypeScript, whole (save_skill caps it).
	Source string `json:"source"`
}

// Offered are the answers a person is offered for r, in order: every one
// of Choices for a tool call; allow once and deny for a skill save (there
// is no execution to allow it for, and "always" would switch off the
// administrator's rule from a question).
func (r ApprovalRequest) Offered() []Choice {
	if r.Skill != nil {
		return []Choice{ChoiceOnce, ChoiceDeny}
	}
	return Choices
}

// Remedy says, for a denial, what the administrator can do instead of
// asking.
func (r ApprovalRequest) Remedy() string {
	if r.Skill != nil {
		return "the administrator can turn skills.requireApproval off in settings.json"
	}
	return "the administrator can allow the tool in mcp-config.json"
}

// what names the request in a reason: "the execution" or "the save".
func (r ApprovalRequest) what() string {
	if r.Skill != nil {
		return "the save_skill call"
	}
	return "the execution"
}

// Answer is a person's choice and how it was obtained.
type Answer struct {
	Choice Choice
	// Via is how the person was asked: "elicitation" (the MCP client that
	// started the execution) or "desktop app".
	Via string
	// Approver names who answered: the MCP client's name, or the app.
	Approver string
}

// Asker asks a person to approve req and waits for the answer, until ctx
// ends. An error means no one could be asked or no answer came: the call
// is denied, with the error's text as the reason, which ends with what the
// administrator can do instead (req.Remedy) when no one could be asked.
type Asker func(ctx context.Context, req ApprovalRequest) (Answer, error)

// ApprovalRecord is one decision on a tool call that needed approval (or
// that a rule denied), for the audit log.
type ApprovalRecord struct {
	Server, Tool string
	Args         json.RawMessage // masked
	Rule         mcpconfig.Rule  // ask or deny
	Why          string
	Allowed      bool
	Choice       Choice // "" when no one answered
	Via          string // elicitation, desktop app, rule, nobody, earlier answer
	Approver     string
	Reason       string // why it was denied, for the code and the log
}

// ExecutionOptions configure the handler of one execution's calls.
type ExecutionOptions struct {
	// Ask asks a person; nil: no one can be asked, and every call that
	// needs approval is denied.
	Ask Asker
	// Nobody says why no one can be asked when Ask is nil, for the
	// denial's message ("the MCP client … does not support elicitation").
	Nobody string
	// OnApproval, if set, receives every approval decision as it is made.
	OnApproval func(ApprovalRecord)
}

// ErrDenied is the cause of every call refused by an approval rule or a
// person.
var ErrDenied = errors.New("denied")

// execution is the approval state of one execution: what a person allowed
// for its whole run, and the lock that puts one question at a time.
type execution struct {
	opts ExecutionOptions

	ask     sync.Mutex // held while a person is asked
	mu      sync.Mutex
	allowed map[[2]string]bool // server, tool: allowed for this execution
}

// Handler returns the handler of one execution's mcpFactory calls (see
// Handle), with the approval rules applied to its tool calls: a call that
// needs approval waits, host-side, for opts.Ask, and the execution's
// choices ("allow for this execution") last as long as the handler.
func (m *Manager) Handler(opts ExecutionOptions) func(ctx context.Context, method string, params json.RawMessage) (any, error) {
	x := &execution{opts: opts, allowed: map[[2]string]bool{}}
	return func(ctx context.Context, method string, params json.RawMessage) (any, error) {
		return m.handleIn(ctx, x, method, params)
	}
}

// ruleFor is the approval rule for one allowed tool of u, and why.
func (u *upstream) ruleFor(t *mcp.Tool, askForChanges bool) (mcpconfig.Rule, string) {
	if r, src := u.policy().Approval.RuleFor(t.Name); r != "" {
		return r, src + " in mcp-config.json"
	}
	if askForChanges && mayChange(t) {
		return mcpconfig.RuleAsk, "askForChanges in mcp-config.json: the tool may change things"
	}
	return mcpconfig.RuleAllow, ""
}

// mayChange reports whether a tool's annotations leave it free to change
// things: it says it is destructive, or does not say it only reads.
func mayChange(t *mcp.Tool) bool {
	a := t.Annotations
	if a == nil {
		return true
	}
	return (a.DestructiveHint != nil && *a.DestructiveHint) || !a.ReadOnlyHint
}

// approve decides whether code may call tool t of u with args: the rule,
// then the execution's earlier answers, then a person. It returns nil when
// the call may go ahead, else an error wrapping ErrDenied that says why.
func (m *Manager) approve(ctx context.Context, x *execution, u *upstream, t *mcp.Tool, args any) error {
	m.mu.Lock()
	askAll := m.askAll
	m.mu.Unlock()
	rule, why := u.ruleFor(t, askAll)
	if rule == mcpconfig.RuleAllow {
		return nil
	}
	key := [2]string{u.cfg.Name, t.Name}
	rec := ApprovalRecord{Server: u.cfg.Name, Tool: t.Name, Rule: rule, Why: why}
	if rule == mcpconfig.RuleDeny {
		rec.Args, rec.Via = m.maskArgs(args), "rule"
		rec.Reason = "the administrator's rule (" + why + ") denies it"
		return x.decided(rec)
	}
	if x.allowedFor(key) {
		return nil // no record: the answer that allowed it was recorded
	}
	// One question at a time, so a person never sees the same tool twice
	// at once; an answer for the execution may have come meanwhile.
	x.ask.Lock()
	defer x.ask.Unlock()
	if x.allowedFor(key) {
		return nil
	}
	rec.Args = m.maskArgs(args)
	if x.opts.Ask == nil {
		rec.Via = "nobody"
		rec.Reason = "it needs approval (" + why + ") and no one could be asked"
		if x.opts.Nobody != "" {
			rec.Reason += ": " + x.opts.Nobody
		}
		rec.Reason += "; " + ApprovalRequest{}.Remedy()
		return x.decided(rec)
	}
	ans, err := Ask(ctx, x.opts.Ask, m.opts.ApprovalTimeout, ApprovalRequest{Server: u.cfg.Name, Tool: t.Name, Args: rec.Args, Why: why})
	rec.Choice, rec.Via, rec.Approver = ans.Choice, ans.Via, ans.Approver
	if err != nil {
		rec.Reason = "it needs approval (" + why + ") and " + err.Error()
		return x.decided(rec)
	}
	switch ans.Choice {
	case ChoiceOnce:
	case ChoiceExecution:
		x.allow(key)
	case ChoiceAlways:
		x.allow(key)
		if err := mcpconfig.AllowTool(m.path, u.cfg.Name, t.Name, mcpconfig.EditOptions{}); err != nil {
			// The person allowed the call; only the lasting rule failed.
			m.logf("could not record \"always allow\" for %s.%s in %s: %v", u.cfg.Name, t.Name, m.path, err)
			rec.Reason = "allowed, but the rule could not be written to mcp-config.json: " + err.Error()
		}
	default:
		rec.Reason = fmt.Sprintf("%s denied it", firstNonEmpty(ans.Approver, "the person asked"))
		if ans.Choice != ChoiceDeny {
			rec.Reason = fmt.Sprintf("the answer %q is not one of the choices", ans.Choice)
		}
		return x.decided(rec)
	}
	rec.Allowed = true
	_ = x.decided(rec)
	return nil
}

// Ask puts req to ask and waits, at most timeout, for the answer. An
// error says, in words that follow "it needs approval and", why there is
// no answer: ask failed (its reason), the timeout passed, or ctx ended.
// The request is then denied, and the Answer's Via is "nobody" unless ask
// said how it tried.
//
// Every question goes through Ask: a tool call made from code and a skill
// save alike.
func Ask(ctx context.Context, ask Asker, timeout time.Duration, req ApprovalRequest) (Answer, error) {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ans, err := ask(actx, req)
	switch {
	case err == nil:
		return ans, nil
	case ctx.Err() != nil:
		err = noAnswer(req.what() + " ended while waiting for approval")
	case actx.Err() != nil:
		err = noAnswer(fmt.Sprintf("no answer within %v", timeout))
	}
	ans.Choice = ""
	if ans.Via == "" {
		ans.Via = "nobody"
	}
	return ans, err
}

// ErrNoAnswer is what Ask's error is (errors.Is) when the wait ended
// before anyone answered: the timeout passed, or ctx ended. Other errors
// are the asker's: no one could be asked.
var ErrNoAnswer = errors.New("no answer came")

// noAnswer is an error of ErrNoAnswer's kind, in its own words.
type noAnswer string

func (e noAnswer) Error() string      { return string(e) }
func (noAnswer) Is(target error) bool { return target == ErrNoAnswer }

// DefaultApprovalTimeout is how long a person has to answer one question
// unless the administrator says otherwise.
const DefaultApprovalTimeout = 5 * time.Minute

// decided records rec and returns the error the code sees when it denies.
func (x *execution) decided(rec ApprovalRecord) error {
	if x.opts.OnApproval != nil {
		x.opts.OnApproval(rec)
	}
	if rec.Allowed {
		return nil
	}
	return fmt.Errorf("%s.%s was %w: %s", rec.Server, rec.Tool, ErrDenied, rec.Reason)
}

func (x *execution) allowedFor(key [2]string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.allowed[key]
}

func (x *execution) allow(key [2]string) {
	x.mu.Lock()
	x.allowed[key] = true
	x.mu.Unlock()
}

// maskArgs is args as a person may see them: secret-looking keys and the
// configured servers' secrets replaced, capped like the audit log's.
func (m *Manager) maskArgs(args any) json.RawMessage {
	v, err := m.secrets.Load().Value(args)
	if err != nil {
		return json.RawMessage(`"[arguments not shown: they cannot be masked]"`)
	}
	return audit.Redact(v)
}
