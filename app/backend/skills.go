package backend

import (
	"context"
	"fmt"
	"time"
)

// SkillsClient is the client name the audit log gives the Skills page.
const SkillsClient = "MCP Conductor (Skills page)"

// SkillsView is the Skills page: the saved skills and whether code may
// save more.
type SkillsView struct {
	Folder string `json:"folder"`
	Saving bool   `json:"saving"`
	// Approval is whether each save by an AI client waits for a person's
	// approval (settings: skills.requireApproval).
	Approval bool    `json:"approval"`
	Skills   []Skill `json:"skills"`
}

// Skill is one saved skill.
type Skill struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Import      string        `json:"import"`
	SavedAt     time.Time     `json:"savedAt"`
	Exports     []SkillExport `json:"exports"`
	Problem     string        `json:"problem"` // why it cannot be described
}

// SkillExport is one exported name of a skill and its signature.
type SkillExport struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Signature string `json:"signature"`
	Doc       string `json:"doc"`
}

// Skills lists the saved skills (the engine must run: Deno describes a
// skill edited by hand).
func (b *Backend) Skills(ctx context.Context) (SkillsView, error) {
	e, err := b.engine()
	if err != nil {
		return SkillsView{}, fmt.Errorf("skills: %w", err)
	}
	store := e.Server().Skills()
	list, err := store.List(ctx)
	if err != nil {
		return SkillsView{}, fmt.Errorf("skills: %w", err)
	}
	p := e.Policy()
	v := SkillsView{Folder: store.Dir, Saving: p.SkillSaving, Approval: p.SkillApproval, Skills: []Skill{}}
	for _, s := range list {
		sk := Skill{Name: s.Name, Description: s.Description, Import: s.Import, SavedAt: s.SavedAt, Problem: s.Problem, Exports: []SkillExport{}}
		for _, x := range s.Exports {
			sk.Exports = append(sk.Exports, SkillExport{Name: x.Name, Kind: x.Kind, Signature: x.Signature, Doc: x.Doc})
		}
		v.Skills = append(v.Skills, sk)
	}
	return v, nil
}

// SetSkillSaving sets what AI clients' save_skill does: "on" (a save is
// written), "ask" (each save waits for a person's approval) or "off"
// (save_skill is not offered; saved skills stay importable). It writes
// the settings file (skills.disableSaving and skills.requireApproval) and
// switches the engine to it. The Skills page's own saves are not affected.
func (b *Backend) SetSkillSaving(ctx context.Context, mode string) (SkillsView, error) {
	s, err := b.readSettings()
	if err != nil {
		return SkillsView{}, err
	}
	switch mode {
	case "on":
		s.Skills.DisableSaving, s.Skills.RequireApproval = false, false
	case "ask":
		s.Skills.DisableSaving, s.Skills.RequireApproval = false, true
	case "off":
		s.Skills.DisableSaving = true
	default:
		return SkillsView{}, fmt.Errorf("skill saving %q: choose on, ask or off", mode)
	}
	if err := b.saveSettings(ctx, s); err != nil {
		return SkillsView{}, err
	}
	return b.Skills(ctx)
}

// SkillSource returns a saved skill's TypeScript.
func (b *Backend) SkillSource(name string) (string, error) {
	e, err := b.engine()
	if err != nil {
		return "", fmt.Errorf("skills: %w", err)
	}
	return e.Server().Skills().Source(name)
}

// DeleteSkill deletes a skill (its files go to the backups), records it in
// the audit log, and returns the page anew.
func (b *Backend) DeleteSkill(ctx context.Context, name string) (SkillsView, error) {
	e, err := b.engine()
	if err != nil {
		return SkillsView{}, fmt.Errorf("skills: %w", err)
	}
	if err := e.Server().DeleteSkill(SkillsClient, name); err != nil {
		return SkillsView{}, err
	}
	return b.Skills(ctx)
}

// SkillChange is one save or deletion of a skill, from the audit log.
type SkillChange struct {
	Time        time.Time `json:"time"`
	Client      string    `json:"client"`
	Skill       string    `json:"skill"`
	Action      string    `json:"action"` // saved, replaced, deleted
	OK          bool      `json:"ok"`
	Error       string    `json:"error"` // why it was refused
	Source      string    `json:"source"`
	Description string    `json:"description"`
}

// SkillChanges returns the newest saves and deletions of skills (at most
// limit; 0 means 50), newest first, for the Activity page.
func (b *Backend) SkillChanges(limit int) ([]SkillChange, error) {
	if limit <= 0 {
		limit = 50
	}
	log, err := b.auditLog()
	if err != nil {
		return nil, fmt.Errorf("activity: %w", err)
	}
	recs, err := log.Recent(scanRecords)
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	out := []SkillChange{}
	for _, r := range recs {
		var action string
		switch {
		case r.Kind == "skill_deleted":
			action = "deleted"
		case r.Kind == "skill_saved" && r.Decision == "replaced":
			action = "replaced"
		case r.Kind == "skill_saved":
			action = "saved"
		default:
			continue
		}
		out = append(out, SkillChange{Time: r.Time, Client: r.Client, Skill: r.Skill, Action: action,
			OK: r.OK != nil && *r.OK, Error: r.Error, Source: r.Code, Description: r.Description})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
