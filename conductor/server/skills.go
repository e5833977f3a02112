package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
)

// SaveSkillOutput is save_skill's result.
type SaveSkillOutput struct {
	Name     string          `json:"name"`
	Import   string          `json:"import" jsonschema:"the specifier later code imports it with"`
	Replaced bool            `json:"replaced" jsonschema:"a skill of this name existed and was replaced (its old files are kept as backups)"`
	Exports  []skills.Export `json:"exports"`
}

// ListSkillsOutput is list_skills' result.
type ListSkillsOutput struct {
	Skills   []skills.Info `json:"skills"`
	Saving   bool          `json:"saving" jsonschema:"whether save_skill may save new skills"`
	Approval bool          `json:"approval" jsonschema:"whether each save_skill waits for a person's approval before it writes"`
}

// setSkillTools registers list_skills, and save_skill when the policy lets
// code save skills (the administrator's settings can turn it off).
func (s *Server) setSkillTools(p config.Policy) {
	s.mcp.AddTool(&mcp.Tool{
		Name:         "list_skills",
		Title:        "List Skills",
		Description:  "List the saved skills: TypeScript modules code run by run_deno_code can import (`import { fn } from \"skills/name\"`), with each one's description and the signatures of its exports.",
		InputSchema:  noArgsSchema(),
		OutputSchema: inferred[ListSkillsOutput](),
		Annotations:  &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, s.listSkills)
	if !p.SkillSaving {
		s.mcp.RemoveTools("save_skill")
		return
	}
	s.mcp.AddTool(&mcp.Tool{
		Name:  "save_skill",
		Title: "Save Skill",
		Description: "Save TypeScript worth keeping as a skill: a module exporting functions that later run_deno_code executions import with `import { fn } from \"skills/name\"`. " +
			"It runs with the importing execution's permissions, never more; it may import the allowlisted packages and other skills. Saving a name that exists replaces that skill. " +
			fmt.Sprintf("The source is parsed by Deno before it is saved (at most %d KiB).", skills.MaxSource>>10) + approvalNote(p),
		InputSchema:  saveSkillInputSchema(),
		OutputSchema: inferred[SaveSkillOutput](),
		Annotations:  &mcp.ToolAnnotations{DestructiveHint: ptr(true), IdempotentHint: true},
	}, s.saveSkill)
}

// approvalNote tells the model, when saves need approval, that the user
// is asked first.
func approvalNote(p config.Policy) string {
	if !p.SkillApproval {
		return ""
	}
	return " The administrator requires approval of each save: the user is asked (the skill's name, description and source) before anything is written, and a save they do not allow is refused."
}

func saveSkillInputSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type: "object",
		Properties: map[string]*jsonschema.Schema{
			"name":        {Type: "string", Pattern: `^[a-z][a-z0-9_-]*$`, MinLength: ptr(1), MaxLength: ptr(skills.MaxName), Description: "the skill's name: lower-case letters, digits, - and _, starting with a letter; code imports it as skills/<name>"},
			"description": {Type: "string", MinLength: ptr(1), MaxLength: ptr(skills.MaxDescription), Description: "what the skill does, in a sentence, for list_skills"},
			"source":      {Type: "string", MinLength: ptr(1), MaxLength: ptr(skills.MaxSource), Description: "TypeScript that exports functions (export function name(...) { ... })"},
		},
		PropertyOrder:        []string{"name", "description", "source"},
		Required:             []string{"name", "description", "source"},
		AdditionalProperties: falseSchema(),
	}
}

// Skills is the skills folder under the current policy, for the desktop
// app's Skills page. Deleting through it is not audited: use DeleteSkill.
func (s *Server) Skills() skills.Store {
	st, _ := s.skillStore()
	return st
}

// DeleteSkill deletes a skill and records it in the audit log under the
// given client name.
func (s *Server) DeleteSkill(client, name string) error {
	store, _ := s.skillStore()
	err := store.Delete(name)
	if s.opts.Audit != nil {
		ok := err == nil
		rec := audit.Record{Time: time.Now().UTC(), Kind: "skill_deleted", ExecutionID: newID(), Client: client, OK: &ok, Skill: name}
		if err != nil {
			rec.Error = err.Error()
		}
		_ = s.opts.Audit.Append(rec)
	}
	return err
}

// skillStore is the skills folder of the current policy, checked with its
// runner's Deno and import rules.
func (s *Server) skillStore() (skills.Store, config.Policy) {
	s.mu.RLock()
	p, r := s.policy, s.runner
	s.mu.RUnlock()
	return skills.Store{
		Dir:     r.SkillsDir(),
		Backups: filepath.Join(p.Home, "backups", "skills"),
		Deno:    r.Env().Deno,
		Imports: r.SkillImports,
	}, p
}

func (s *Server) listSkills(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if _, err := parseArgs("list_skills", req.Params.Arguments); err != nil {
		return toolError(err), nil
	}
	store, p := s.skillStore()
	list, err := store.List(ctx)
	if err != nil {
		return toolError(fmt.Errorf("%v; check that the conductor can read %s", err, store.Dir)), nil
	}
	return structured(ListSkillsOutput{Skills: list, Saving: p.SkillSaving, Approval: p.SkillSaving && p.SkillApproval})
}

// saveSkill handles save_skill. When the administrator requires approval
// of saves, the person is asked first, through the same chain as a tool
// call made from code (the client by elicitation, during the call or in
// rounds, else the desktop app, else no one: denied), and nothing is
// written unless they allow it.
func (s *Server) saveSkill(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if req.Params.RequestState != "" {
		return s.resume(ctx, req, toolError(errors.New("this approval question is no longer waiting (it was answered, timed out, or the conductor restarted); call save_skill again"))), nil
	}
	var sk skills.Skill
	a, err := parseArgs("save_skill", req.Params.Arguments, "name", "description", "source")
	if err == nil {
		sk.Name, err = a.String("name", true, "the skill's name")
	}
	if err == nil {
		sk.Description, err = a.String("description", true, "what the skill does")
	}
	if err == nil {
		sk.Source, err = a.String("source", true, "TypeScript exporting functions")
	}
	if err != nil {
		return toolError(err), nil
	}
	_, p := s.skillStore()
	if !p.SkillApproval {
		out, err := s.SaveSkill(ctx, clientName(req), sk, nil)
		if err != nil {
			return toolError(err), nil
		}
		return structured(out)
	}
	noClient := "the MCP client that saves the skill does not support elicitation (questions to the user)"
	return s.asking(ctx, req, noClient, false, func(ctx context.Context, opts runOptions) *mcp.CallToolResult {
		out, err := s.saveAsked(ctx, clientName(req), sk, opts)
		if err == nil {
			var res *mcp.CallToolResult
			if res, err = structured(out); err == nil {
				return res
			}
		}
		return toolError(err)
	}), nil
}

// errSavingOff refuses save_skill under skills.disableSaving.
var errSavingOff = errors.New("the administrator has turned saving skills off (settings: skills.disableSaving); saved skills can still be imported")

// SaveSkillOptions make a save an edit by the person at the desktop app.
type SaveSkillOptions struct {
	// Revision is the revision of the skill the editor opened
	// (skills.Store.Open), "" for a new skill: the save is refused, with
	// an error wrapping skills.ErrChanged, if the skill on disk is at
	// another one (or, for a new skill, exists).
	Revision string
}

// SaveSkill checks and saves a skill (skills.Store.Save: the name rules,
// the caps, Deno parsing it, atomic writes with backups) and records the
// save, or its refusal, in the audit log under the given client name. It
// is save_skill's path, taken with nil opts: the administrator's
// skills.disableSaving refuses it (and skills.requireApproval, which
// save_skill applies before, asks no one here). With opts it is an edit
// from the desktop app: the settings, which govern what AI clients save,
// do not apply, and a skill changed since it was opened is not
// overwritten.
func (s *Server) SaveSkill(ctx context.Context, client string, sk skills.Skill, opts *SaveSkillOptions) (SaveSkillOutput, error) {
	store, p := s.skillStore()
	started := time.Now()
	var replaced bool
	var exports []skills.Export
	var err error
	switch {
	case opts != nil:
		exports, replaced, err = store.SaveOver(ctx, sk, opts.Revision)
	case !p.SkillSaving:
		err = errSavingOff
	default:
		exports, replaced, err = store.Save(ctx, sk)
	}
	s.recordSkill(newID(), client, sk, replaced, proxy.Answer{}, started, err)
	if err != nil {
		return SaveSkillOutput{}, err
	}
	return SaveSkillOutput{Name: sk.Name, Import: skills.Prefix + sk.Name, Replaced: replaced, Exports: exports}, nil
}

// saveAsked is save_skill's path under skills.requireApproval: the checks
// first (a skill that would be refused is not asked about), then the
// person, through opts, told whether it replaces a skill; then the write,
// only if the skill on disk is still as the person was told (none, or the
// revision it replaces), checked under the folder's lock with the write
// (skills.Store.SaveOver).
func (s *Server) saveAsked(ctx context.Context, client string, sk skills.Skill, opts runOptions) (SaveSkillOutput, error) {
	store, p := s.skillStore()
	id, started := newID(), time.Now()
	var replaced bool
	var exports []skills.Export
	var ans proxy.Answer
	var rev string
	var err error
	switch {
	case !p.SkillSaving:
		err = errSavingOff
	default:
		if _, err = store.Check(ctx, sk); err != nil {
			break
		}
		if rev, err = store.Revision(sk.Name); err != nil {
			break
		}
		if ans, err = s.askSave(ctx, id, client, sk, rev != "", opts); err != nil {
			err = fmt.Errorf("skill %s was not saved (nothing was written): %w", sk.Name, err)
			break
		}
		exports, replaced, err = store.SaveOver(ctx, sk, rev)
		if errors.Is(err, skills.ErrChanged) {
			what := "it was changed or deleted while the person was asked about replacing it"
			if rev == "" {
				what = "a skill of that name was saved while the person was asked about a new one"
			}
			err = fmt.Errorf("skill %s was not saved (nothing was written): %s; call save_skill again to be asked about it as it is now", sk.Name, what)
		}
	}
	s.recordSkill(id, client, sk, replaced, ans, started, err)
	if err != nil {
		return SaveSkillOutput{}, err
	}
	return SaveSkillOutput{Name: sk.Name, Import: skills.Prefix + sk.Name, Replaced: replaced, Exports: exports}, nil
}

// recordSkill writes a save, or a refused one, to the audit log, with how
// it was approved (ans: Via and Approver) if it was asked about.
func (s *Server) recordSkill(id, client string, sk skills.Skill, replaced bool, ans proxy.Answer, started time.Time, err error) {
	if s.opts.Audit == nil {
		return
	}
	ok := err == nil
	rec := audit.Record{
		Time: time.Now().UTC(), Kind: "skill_saved", ExecutionID: id, Client: client, OK: &ok,
		Skill: sk.Name, Description: sk.Description, Code: sk.Source, DurationMs: float64(time.Since(started).Microseconds()) / 1000,
		Via: ans.Via, Approver: ans.Approver,
	}
	if replaced {
		rec.Decision = "replaced"
	}
	if err != nil {
		rec.Error = err.Error()
	}
	_ = s.opts.Audit.Append(rec)
}
