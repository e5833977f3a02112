package clients

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/tailscale/hujson"
)

// ServerEntry is one MCP server in a client's configuration, as written.
type ServerEntry struct {
	// Name is the entry's key.
	Name string
	// Raw is its JSON value, compact (comments and trailing commas removed).
	Raw json.RawMessage
}

// Servers reads every server entry in c's configuration file (user scope,
// or opts.ProjectDir's), sorted by name, our own entry excluded. A missing
// file has none. Only JSON clients are read; Codex's TOML is refused.
func (c Client) Servers(opts Options) (path string, entries []ServerEntry, err error) {
	if c.def.format != formatJSON {
		return "", nil, fmt.Errorf("reading %s's servers is not supported", c.Name)
	}
	if path, err = c.ConfigPath(opts); err != nil {
		return "", nil, err
	}
	_, data, _, present, err := readConfig(path)
	if err != nil {
		return path, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !present || len(bytes.TrimSpace(data)) == 0 {
		return path, nil, nil
	}
	_, root, err := parseJSON(path, data)
	if err != nil {
		return path, nil, err
	}
	si := member(root, c.def.key)
	if si < 0 {
		return path, nil, nil
	}
	servers, ok := root.Members[si].Value.Value.(*hujson.Object)
	if !ok {
		return path, nil, fmt.Errorf("%s: %q is not an object", path, c.def.key)
	}
	for _, m := range servers.Members {
		name, _ := m.Name.Value.(hujson.Literal)
		if name.String() == ServerName {
			continue
		}
		v := m.Value.Clone()
		v.Standardize()
		var raw bytes.Buffer
		if err := json.Compact(&raw, v.Pack()); err != nil {
			return path, nil, fmt.Errorf("%s: server %q: %w", path, name.String(), err)
		}
		entries = append(entries, ServerEntry{Name: name.String(), Raw: raw.Bytes()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return path, entries, nil
}
