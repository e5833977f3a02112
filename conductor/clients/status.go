package clients

import (
	"encoding/json"
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
	}
	return "unreadable"
}

// Status is a client's state with respect to the entry we would write.
type Status struct {
	Client Client
	// Path is the configuration file examined.
	Path  string
	State State
	// Differs names the fields of our entry that differ from want when
	// State is Drifted, e.g. ["command", "env"].
	Differs []string
	// Err explains an Unreadable state.
	Err error
}

// Status compares c's configuration with want, the entry Register would
// write. Since an entry carries the MCP_CONDUCTOR_* settings, a status taken
// with other settings than the registration's reports Drifted on "env".
func (c Client) Status(want Entry, opts Options) Status {
	st := Status{Client: c}
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
	case opts.ProjectDir != "" || c.Installed(opts):
		st.State = Installed
	}
	return st
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
