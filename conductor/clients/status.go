package clients

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
)

// State is where a client stands with respect to our entry.
type State int

const (
	// NotInstalled: the client does not seem to be installed.
	NotInstalled State = iota
	// Installed: the client is there but has no mcp-conductor entry.
	Installed
	// Registered: our entry is present and as we would write it.
	Registered
	// Drifted: our entry is present but someone changed it; see Repair.
	Drifted
	// Unreadable: the configuration file cannot be read or parsed.
	Unreadable
	// Disabled: our entry is present but the client turned it off (its
	// "disabled" switch, Claude Code's per-project /mcp switch, or a rule
	// such as Gemini's trusted folders). Status.Reason says which; Register
	// re-enables an entry switched off in the entry itself, and Claude
	// Code's per-project switch of a user-scope entry.
	Disabled
	// Blocked: our entry is present but a policy of the client keeps it
	// from starting, e.g. Gemini's mcp.allowed list or Claude Code's
	// allowedMcpServers omits it. Only the user
	// (or administrator) can lift it; Status.Reason says where.
	Blocked
)

func (s State) String() string {
	switch s {
	case NotInstalled:
		return "not installed"
	case Installed:
		return "installed"
	case Registered:
		return "registered"
	case Drifted:
		return "registered-but-different"
	case Disabled:
		return "disabled"
	case Blocked:
		return "blocked"
	}
	return "unreadable"
}

// Status is a client's state with respect to the entry we would write.
type Status struct {
	Client Client
	// Place is the name of the place examined ("" for one-place clients).
	Place string
	// Path is the configuration file examined.
	Path  string
	State State
	// Differs names the fields of our entry that differ from want, e.g.
	// ["command", "env"]. Set when State is Drifted, and also with
	// Disabled or Blocked when the entry differs too.
	Differs []string
	// Reason says, in one line, why a Disabled or Blocked entry does not
	// start and what to do about it in the client, unless Reenable.
	Reason string
	// Reenable reports that Register turns a Disabled entry back on (the
	// front ends say so in their own words).
	Reenable bool
	// Err explains an Unreadable state.
	Err error
}

// Status compares c's configuration with want, the entry Register would
// write. Since an entry carries the MCP_CONDUCTOR_* settings, a status taken
// with other settings than the registration's reports Drifted on "env".
func (c Client) Status(want Entry, opts Options) Status {
	st := Status{Client: c}
	if env, err := opts.env(); err == nil {
		if pl, err := c.place(opts, env); err == nil {
			st.Place = pl.name
		}
	}
	path, got, found, err := c.readEntry(opts)
	st.Path = path
	switch {
	case err != nil:
		st.State, st.Err = Unreadable, err
	case found:
		f, err := c.def.render(want)
		if err != nil {
			st.State, st.Err = Unreadable, err
			break
		}
		st.Differs = entryDiff(got, f)
		st.State = Registered
		if len(st.Differs) > 0 {
			st.State = Drifted
		}
		if r := entryOff(got); r != "" {
			st.State, st.Reason, st.Reenable = Disabled, r, true
		} else if v := c.checkRules(got, opts); v.Reason != "" {
			st.State, st.Reason, st.Reenable = v.State, v.Reason, v.Reenable
		}
	case opts.ProjectDir != "" || c.Installed(opts):
		st.State = Installed
	}
	return st
}

// entryOff reports how an entry is switched off in itself: a client's
// "disabled": true (Cline, Windsurf) or "enabled": false (Codex, opencode,
// Zed). "" if it is not.
func entryOff(entry map[string]any) string {
	if v, ok := entry["disabled"].(bool); ok && v {
		return `the client set "disabled": true in the entry`
	}
	if v, ok := entry["enabled"].(bool); ok && !v {
		return `the client set "enabled": false in the entry`
	}
	return ""
}

// checkInput is what a client's own rules (clientDef.check) look at.
type checkInput struct {
	env   Env
	entry map[string]any // our entry, as the file examined holds it
	// workDir is the folder the client would be started in.
	workDir string
	// project is set when the file examined is the per-project one
	// (Options.ProjectDir).
	project bool
}

// verdict is what a client's own rules say of our entry.
type verdict struct {
	State    State
	Reason   string // "" when nothing keeps it from starting
	Reenable bool   // Register turns it back on (see Status.Reenable)
}

func (c Client) checkRules(entry map[string]any, opts Options) verdict {
	if c.def.check == nil {
		return verdict{State: Registered}
	}
	env, err := opts.env()
	if err != nil {
		return verdict{State: Registered}
	}
	in := checkInput{env: env, entry: entry, workDir: opts.workDir(), project: opts.ProjectDir != ""}
	return c.def.check(in)
}

// plainCheck is a check whose findings Register never lifts.
func plainCheck(f func(checkInput) (State, string)) func(checkInput) verdict {
	return func(in checkInput) verdict {
		st, why := f(in)
		return verdict{State: st, Reason: why}
	}
}

// workDir is the folder a client would be started in: WorkDir, else
// ProjectDir, else the current folder.
func (o Options) workDir() string {
	if o.WorkDir != "" {
		return o.WorkDir
	}
	if o.ProjectDir != "" {
		return o.ProjectDir
	}
	wd, _ := os.Getwd()
	return wd
}

// entryDiff lists the owned keys whose values differ between the entry in
// a file (got) and ours (want).
func entryDiff(got map[string]any, want fields) []string {
	w := map[string]any{}
	for _, kv := range want {
		w[kv.key] = normalize(kv.val)
	}
	var out []string
	for _, k := range ownedKeys {
		gv, gok := got[k]
		wv, wok := w[k]
		if gok != wok || gok && !reflect.DeepEqual(normalize(gv), wv) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// normalize gives JSON-decoded form to any value, so that values from JSON,
// TOML and our own fields compare equal when they mean the same.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}
