package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
)

// skillApprovalWhy is the rule that asks about every save, for the person
// and the audit log.
const skillApprovalWhy = "skills.requireApproval in settings.json"

// maxShownSource caps the source an elicitation shows: a client's prompt
// is no place for 64 KiB. The message says what is left out.
const maxShownSource = 8 << 10

// skillMessage is the question about a skill save, for an MCP client's
// user.
func skillMessage(client string, req proxy.ApprovalRequest) string {
	sk := req.Skill
	who := firstNonEmpty(client, "An MCP client")
	what := "a new skill"
	if sk.Replaces {
		what = "it replaces the saved skill of that name (whose files are kept as a backup)"
	}
	src, cut := shownSource(sk.Source, maxShownSource)
	head := fmt.Sprintf("Its source (%d bytes):", len(sk.Source))
	if cut {
		head = fmt.Sprintf("The first %d of its %d bytes of source (the rest is not shown here; deny if you need to see it all):", len(src), len(sk.Source))
	}
	return fmt.Sprintf("%s wants to save the skill %q, which later code run by any client can import as skills/%s; %s.\nDescription: %s\n%s\n%s\nIt asks because of %s.",
		who, sk.Name, sk.Name, what, sk.Description, head, src, req.Why)
}

// shownSource is at most max bytes of src, cut after a line if one ends in
// the last quarter, never inside a UTF-8 sequence; cut says it was cut.
func shownSource(src string, max int) (shown string, cut bool) {
	if len(src) <= max {
		return src, false
	}
	end := max
	for end > 0 && !utf8.RuneStart(src[end]) {
		end--
	}
	if nl := strings.LastIndexByte(src[:end], '\n'); nl >= max*3/4 {
		end = nl + 1
	}
	return src[:end], true
}

// askSave asks the person, through opts (the same chain as an execution's
// tool calls), whether sk may be saved, and records the decision under id.
// It returns the answer, and an error, the one-line reason, unless the
// person allowed the save.
func (s *Server) askSave(ctx context.Context, id, client string, sk skills.Skill, replaces bool, opts runOptions) (proxy.Answer, error) {
	req := proxy.ApprovalRequest{Why: skillApprovalWhy, Skill: &proxy.SkillSave{
		Name: sk.Name, Description: sk.Description, Replaces: replaces, Source: sk.Source,
	}}
	var ans proxy.Answer
	var err error
	if opts.ask == nil {
		ans.Via = "nobody"
		err = fmt.Errorf("no one could be asked: %s; %s", firstNonEmpty(opts.nobody, "no desktop app asks for this conductor"), req.Remedy())
	} else {
		ans, err = proxy.Ask(ctx, opts.ask, s.approvalTimeout(), req)
	}
	var reason string
	switch {
	case err != nil:
		// An asker's own error says what to do (appask's names the
		// remedy); a wait with no answer does not.
		reason = err.Error()
		if errors.Is(err, proxy.ErrNoAnswer) {
			reason += "; " + req.Remedy()
		}
	case ans.Choice == proxy.ChoiceOnce:
	case ans.Choice == proxy.ChoiceDeny:
		reason = firstNonEmpty(ans.Approver, "the person asked") + " denied it; " + req.Remedy()
	default:
		reason = fmt.Sprintf("the answer %q is not one of the choices (%s or %s); %s", ans.Choice, proxy.ChoiceOnce, proxy.ChoiceDeny, req.Remedy())
	}
	s.recordSaveApproval(id, client, sk, ans, reason)
	if reason != "" {
		return ans, fmt.Errorf("saving needs approval (%s) and %s", skillApprovalWhy, reason)
	}
	return ans, nil
}

// approvalTimeout bounds the wait for one answer (Options.ApprovalTimeout).
func (s *Server) approvalTimeout() time.Duration {
	if s.opts.ApprovalTimeout > 0 {
		return s.opts.ApprovalTimeout
	}
	return proxy.DefaultApprovalTimeout
}

// recordSaveApproval writes the decision on a save to the audit log as it
// is made, as an approval record like a tool call's (tool save_skill, no
// server).
func (s *Server) recordSaveApproval(id, client string, sk skills.Skill, ans proxy.Answer, reason string) {
	if s.opts.Audit == nil {
		return
	}
	ok := reason == ""
	_ = s.opts.Audit.Append(audit.Record{
		Time: time.Now().UTC(), Kind: "approval", ExecutionID: id, Client: client, Tool: "save_skill", Skill: sk.Name, OK: &ok,
		Rule: "ask", Why: skillApprovalWhy, Decision: string(ans.Choice), Via: ans.Via, Approver: ans.Approver, Error: reason,
	})
}
