package mcpconfig

import (
	"fmt"
	"slices"

	"github.com/tailscale/hujson"
)

// Rule says what happens when sandboxed code calls a tool: it goes ahead
// (allow), waits for a person's answer (ask), or is refused (deny).
type Rule string

// The rules.
const (
	RuleAllow Rule = "allow"
	RuleAsk   Rule = "ask"
	RuleDeny  Rule = "deny"
)

// Approval is an entry's "approval" object: which tool calls made from
// code need a person's approval. Lists hold tool names or patterns (the
// glob semantics of allowTools and denyTools). A name written out in full
// wins over every pattern; of several matching patterns (or names), the
// strictest wins: deny, then ask, then allow. Default covers the tools no
// list names; without it the conductor's "ask for changes" switch decides.
//
//	"approval": { "default": "allow", "ask": ["create_*", "update_*"], "deny": ["delete_repo"] }
type Approval struct {
	Default Rule     `json:"default,omitempty"`
	Allow   []string `json:"allow,omitempty"`
	Ask     []string `json:"ask,omitempty"`
	Deny    []string `json:"deny,omitempty"`
}

// IsZero reports whether the object says nothing.
func (a Approval) IsZero() bool {
	return a.Default == "" && len(a.Allow) == 0 && len(a.Ask) == 0 && len(a.Deny) == 0
}

// RuleFor is the rule the entry's approval object gives tool, and which
// list (or "default") gave it; "" and "" when it gives none.
func (a Approval) RuleFor(tool string) (Rule, string) {
	lists := []struct {
		rule  Rule
		globs []string
	}{{RuleDeny, a.Deny}, {RuleAsk, a.Ask}, {RuleAllow, a.Allow}}
	for _, l := range lists { // a name written out wins over patterns
		if slices.Contains(l.globs, tool) {
			return l.rule, "approval." + string(l.rule)
		}
	}
	for _, l := range lists {
		if matchAny(l.globs, tool) {
			return l.rule, "approval." + string(l.rule)
		}
	}
	if a.Default != "" {
		return a.Default, "approval.default"
	}
	return "", ""
}

func (a Approval) validate(server string) error {
	switch a.Default {
	case "", RuleAllow, RuleAsk, RuleDeny:
	default:
		return fmt.Errorf("server %q: approval.default is %q; use allow, ask or deny", server, a.Default)
	}
	for _, g := range slices.Concat(a.Allow, a.Ask, a.Deny) {
		if err := checkGlob(g); err != nil {
			return fmt.Errorf("server %q: approval tool pattern %q: %v", server, g, err)
		}
	}
	return nil
}

// AllowTool records "always allow" for one tool of the entry named server:
// its name goes into approval.allow and leaves approval.ask, so that a
// name written out in full wins over any pattern that asks. The rest of the
// file, comments included, is kept, and the old content backed up.
func AllowTool(path, server, tool string, opts EditOptions) error {
	if tool == "" {
		return fmt.Errorf("no tool named to allow")
	}
	return edit(path, opts, func(v *hujson.Value, names map[string]bool) error {
		if !names[server] {
			return fmt.Errorf("no server named %q in %s", server, path)
		}
		ptr := "/mcpServers/" + server + "/approval"
		var ops []patchOp
		if v.Find(ptr) == nil {
			return patch(v, []patchOp{{Op: "add", Path: ptr, Value: map[string]any{"allow": []string{tool}}}})
		}
		current := func(list string) []string {
			x := v.Find(ptr + "/" + list)
			if x == nil {
				return nil
			}
			var out []string
			if arr, ok := x.Value.(*hujson.Array); ok {
				for _, e := range arr.Elements {
					if lit, ok := e.Value.(hujson.Literal); ok && lit.Kind() == '"' {
						out = append(out, lit.String())
					} else {
						out = append(out, "")
					}
				}
			}
			return out
		}
		if ask := current("ask"); slices.Contains(ask, tool) {
			// Remove from the end, so indices stay valid.
			for i := len(ask) - 1; i >= 0; i-- {
				if ask[i] == tool {
					ops = append(ops, patchOp{Op: "remove", Path: fmt.Sprintf("%s/ask/%d", ptr, i)})
				}
			}
		}
		switch allow := current("allow"); {
		case slices.Contains(allow, tool):
		case v.Find(ptr+"/allow") == nil:
			ops = append(ops, patchOp{Op: "add", Path: ptr + "/allow", Value: []string{tool}})
		default:
			ops = append(ops, patchOp{Op: "add", Path: ptr + "/allow/-", Value: tool})
		}
		return patch(v, ops)
	})
}

// SetAskForChanges sets the file's top-level "askForChanges" switch (see
// Config.AskForChanges); off removes it. The rest of the file, comments
// included, is kept, and the old content backed up.
func SetAskForChanges(path string, on bool, opts EditOptions) error {
	return edit(path, opts, func(v *hujson.Value, _ map[string]bool) error {
		switch {
		case on:
			return patch(v, []patchOp{{Op: "add", Path: "/askForChanges", Value: true}})
		case v.Find("/askForChanges") != nil:
			return patch(v, []patchOp{{Op: "remove", Path: "/askForChanges"}})
		}
		return nil
	})
}
