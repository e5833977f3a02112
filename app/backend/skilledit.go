package backend

import (
	"context"
	"errors"
	"fmt"

	"github.com/mcp-conductor/mcp-conductor/conductor/server"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
)

// SkillDraft is a skill as the Skills page's editor opens and saves it.
type SkillDraft struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"`
	// Revision names the saved state the draft was opened from, "" for a
	// new skill: a save is refused if the skill is no longer at it.
	Revision string `json:"revision"`
}

// SkillSave is what saving a draft did: it was saved (Saved, the skill as
// it is now, and View, the page anew), or it was refused (Problem) and
// nothing was written.
type SkillSave struct {
	Saved   *SkillDraft   `json:"saved"`
	View    *SkillsView   `json:"view"`
	Problem *SkillProblem `json:"problem"`
}

// SkillProblem says why a draft was not saved.
type SkillProblem struct {
	// Message says what is wrong, in a sentence.
	Message string `json:"message"`
	// Line and Column are where Deno stopped reading the source
	// (1-based), 0 when the problem is not at a place in it.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Changed: the skill was saved again or deleted since the draft was
	// opened (or a new skill's name was taken); reloading it shows what
	// is on disk now.
	Changed bool `json:"changed"`
}

// OpenSkill reads a saved skill into a draft for the editor.
func (b *Backend) OpenSkill(name string) (SkillDraft, error) {
	e, err := b.engine()
	if err != nil {
		return SkillDraft{}, fmt.Errorf("skills: %w", err)
	}
	o, err := e.Server().Skills().Open(name)
	if err != nil {
		return SkillDraft{}, err
	}
	return SkillDraft{Name: o.Name, Description: o.Description, Source: o.Source, Revision: o.Revision}, nil
}

// SaveSkill saves a draft through the engine's one save path (the checks
// of save_skill, Deno parsing the source, atomic writes with backups, an
// audit record under SkillsClient), but only over the revision the draft
// was opened from. A refusal is a Problem, not an error: the form keeps
// what the person typed and shows why. The administrator's setting that
// turns saving off is about what AI clients save; it does not stop the
// person at the desktop from editing.
func (b *Backend) SaveSkill(ctx context.Context, d SkillDraft) (SkillSave, error) {
	e, err := b.engine()
	if err != nil {
		return SkillSave{}, fmt.Errorf("skills: %w", err)
	}
	sk := skills.Skill{Name: d.Name, Description: d.Description, Source: d.Source}
	if _, err := e.Server().SaveSkill(ctx, SkillsClient, sk, &server.SaveSkillOptions{Revision: d.Revision}); err != nil {
		return SkillSave{Problem: skillProblem(d, err)}, nil
	}
	saved, err := b.OpenSkill(d.Name)
	if err != nil {
		return SkillSave{}, fmt.Errorf("skill %s was saved, but reading it back failed: %w", d.Name, err)
	}
	v, err := b.Skills(ctx)
	if err != nil {
		return SkillSave{}, err
	}
	return SkillSave{Saved: &saved, View: &v}, nil
}

// skillProblem is a refused save in words for the person at the form.
func skillProblem(d SkillDraft, err error) *SkillProblem {
	var pe *skills.ParseError
	switch {
	case errors.Is(err, skills.ErrChanged) && d.Revision == "":
		return &SkillProblem{Changed: true, Message: fmt.Sprintf("A skill named %s exists already. Choose another name, or open that skill to edit it.", d.Name)}
	case errors.Is(err, skills.ErrChanged):
		return &SkillProblem{Changed: true, Message: fmt.Sprintf("Skill %s changed since you opened it (an AI client or another window saved or deleted it). Nothing was saved: reload it to see it as it is now, then make your change again.", d.Name)}
	case errors.As(err, &pe):
		return &SkillProblem{Message: "Deno cannot read the source: " + pe.Message, Line: pe.Line, Column: pe.Column}
	}
	return &SkillProblem{Message: sentence(err.Error())}
}

// sentence starts s with a capital and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	if last := s[len(s)-1]; last != '.' && last != '?' && last != '!' {
		s += "."
	}
	return s
}
