package app

import "github.com/mcp-conductor/mcp-conductor/app/backend"

// Skills lists the saved skills for the Skills page.
func (a *App) Skills() (backend.SkillsView, error) {
	b, err := a.backendOrErr("skills")
	if err != nil {
		return backend.SkillsView{}, err
	}
	return b.Skills(a.context())
}

// SetSkillSaving sets what AI clients' save_skill does: "on", "ask" (each
// save waits for approval) or "off".
func (a *App) SetSkillSaving(mode string) (backend.SkillsView, error) {
	b, err := a.backendOrErr("skills")
	if err != nil {
		return backend.SkillsView{}, err
	}
	return b.SetSkillSaving(a.context(), mode)
}

// SkillSource returns a saved skill's TypeScript.
func (a *App) SkillSource(name string) (string, error) {
	b, err := a.backendOrErr("skills")
	if err != nil {
		return "", err
	}
	return b.SkillSource(name)
}

// DeleteSkill deletes a skill, its files kept as backups.
func (a *App) DeleteSkill(name string) (backend.SkillsView, error) {
	b, err := a.backendOrErr("skills")
	if err != nil {
		return backend.SkillsView{}, err
	}
	return b.DeleteSkill(a.context(), name)
}

// SkillChanges returns the newest saves and deletions of skills from the
// audit log, newest first.
func (a *App) SkillChanges(limit int) ([]backend.SkillChange, error) {
	b, err := a.backendOrErr("activity")
	if err != nil {
		return nil, err
	}
	return b.SkillChanges(limit)
}

// OpenSkill reads a saved skill into a draft for the Skills page's editor.
func (a *App) OpenSkill(name string) (backend.SkillDraft, error) {
	b, err := a.backendOrErr("skills")
	if err != nil {
		return backend.SkillDraft{}, err
	}
	return b.OpenSkill(name)
}

// SaveSkill saves a draft from the editor, over the revision it was opened
// from; a refusal comes back as its Problem, nothing written.
func (a *App) SaveSkill(d backend.SkillDraft) (backend.SkillSave, error) {
	b, err := a.backendOrErr("skills")
	if err != nil {
		return backend.SkillSave{}, err
	}
	return b.SaveSkill(a.context(), d)
}
