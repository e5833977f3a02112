package app

import "github.com/mcp-conductor/mcp-conductor/app/backend"

// Approvals lists the tool calls, made from code, that wait for the
// person's answer, oldest first. The window shows the first as a dialog,
// and reads the list again on EventApprovals.
func (a *App) Approvals() []backend.ApprovalQuestion {
	b := a.cfg.Backend
	if b == nil {
		return []backend.ApprovalQuestion{}
	}
	return b.Approvals()
}

// AnswerApproval gives the person's choice ("allow once", "allow for this
// execution", "always allow this tool" or "deny") to the question id.
func (a *App) AnswerApproval(id, choice string) error {
	b, err := a.backendOrErr("answering an approval")
	if err != nil {
		return err
	}
	return b.AnswerApproval(id, choice)
}
