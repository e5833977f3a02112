package mcpconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tailscale/hujson"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/mcp-conductor/mcp-conductor/internal/jsonc"
)

// File is mcp-config.json as an editor sees it: each entry with its values
// as written (${env:NAME} placeholders are not expanded).
type File struct {
	Path string
	// Servers are sorted by name. An entry that the proxy would refuse keeps
	// what could be read of it, with Err set.
	Servers []Server
	// Exists is false when the file is missing (an empty configuration).
	Exists bool
	// AskForChanges is the file's "askForChanges" switch.
	AskForChanges bool
}

// Server returns the named entry.
func (f *File) Server(name string) (Server, bool) {
	for _, s := range f.Servers {
		if s.Name == name {
			return s, true
		}
	}
	return Server{}, false
}

// EditOptions say where an edit keeps its backup.
type EditOptions struct {
	// BackupDir receives a timestamped copy of the file before each write;
	// "" means a "backups" folder beside the file.
	BackupDir string
}

// keepBackups is how many backups an edit leaves in BackupDir.
const keepBackups = 20

// ReadFile reads the mcp-config.json at path for editing. A file that does
// not parse is a *Error whose text gives the line and column.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Path: path}, nil
	}
	if err != nil {
		return nil, &Error{path, err}
	}
	raw := func(name string) string { return "${env:" + name + "}" }
	strict, err := Parse(path, data, raw)
	if err != nil {
		return nil, err
	}
	entries, err := rawEntries(path, data)
	if err != nil {
		return nil, err
	}
	f := &File{Path: path, Exists: true, AskForChanges: strict.AskForChanges}
	for _, s := range strict.Servers {
		if s.Err != nil {
			// Keep the fields that do decode, so the entry can be shown and fixed.
			var lenient Server
			_ = json.Unmarshal(entries[s.Name], &lenient)
			lenient.Name, lenient.Err = s.Name, s.Err
			s = lenient
		}
		f.Servers = append(f.Servers, s)
	}
	return f, nil
}

func rawEntries(path string, data []byte) (map[string]json.RawMessage, error) {
	v, err := jsonc.Parse(bytes.Clone(data)) // the tree aliases its input
	if err != nil {
		return nil, &Error{path, err}
	}
	v.Standardize()
	var top struct {
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
	}
	if err := json.Unmarshal(v.Pack(), &top); err != nil {
		return nil, &Error{path, fmt.Errorf(`expected {"mcpServers": {...}}: %v`, err)}
	}
	return top.MCPServers, nil
}

// Validate reports why sc cannot be saved: a bad name, neither or both of
// command and url, an unknown type, a bad tool pattern.
func Validate(sc Server) error { return validate(sc) }

// SetServer writes sc into the file at path. With old empty, sc is a new
// entry and its name must be free; otherwise the entry named old is updated
// (and renamed when sc.Name differs), keeping the fields this package does
// not know and the comments inside it. Other entries, top-level fields and
// comments are kept; a file that does not parse is never written.
func SetServer(path, old string, sc Server, opts EditOptions) error {
	if err := validate(sc); err != nil {
		return err
	}
	return edit(path, opts, func(v *hujson.Value, names map[string]bool) error {
		ptr := "/mcpServers/" + sc.Name
		var ops []patchOp
		switch {
		case old == "":
			if names[sc.Name] {
				return fmt.Errorf("a server named %q already exists", sc.Name)
			}
			// A new entry goes in whole, one field a line.
			return patch(v, []patchOp{{Op: "add", Path: ptr, Value: entryJSON(sc)}})
		case !names[old]:
			return fmt.Errorf("no server named %q in %s", old, path)
		case old != sc.Name:
			if names[sc.Name] {
				return fmt.Errorf("a server named %q already exists", sc.Name)
			}
			ops = append(ops, patchOp{Op: "move", From: "/mcpServers/" + old, Path: ptr})
		}
		if err := patch(v, ops); err != nil {
			return err
		}
		return patch(v, fieldOps(v, ptr, sc))
	})
}

// RemoveServer deletes the named entry; the rest of the file is kept.
func RemoveServer(path, name string, opts EditOptions) error {
	return edit(path, opts, func(v *hujson.Value, names map[string]bool) error {
		if !names[name] {
			return fmt.Errorf("no server named %q in %s", name, path)
		}
		return patch(v, []patchOp{{Op: "remove", Path: "/mcpServers/" + name}})
	})
}

// SetDisabled turns the named entry's "disabled" flag on or off.
func SetDisabled(path, name string, disabled bool, opts EditOptions) error {
	return edit(path, opts, func(v *hujson.Value, names map[string]bool) error {
		if !names[name] {
			return fmt.Errorf("no server named %q in %s", name, path)
		}
		ptr := "/mcpServers/" + name + "/disabled"
		switch {
		case disabled:
			return patch(v, []patchOp{{Op: "add", Path: ptr, Value: true}})
		case v.Find(ptr) != nil:
			return patch(v, []patchOp{{Op: "remove", Path: ptr}})
		}
		return nil
	})
}

type patchOp struct {
	Op    string `json:"op"`
	From  string `json:"from,omitempty"`
	Path  string `json:"path"`
	Value any    `json:"-"`
}

// patch applies ops. Values go in as written (json.RawMessage keeps its
// line breaks, which Format then keeps as one member a line).
func patch(v *hujson.Value, ops []patchOp) error {
	if len(ops) == 0 {
		return nil
	}
	b := []byte{'['}
	for i, op := range ops {
		head, err := json.Marshal(op)
		if err != nil {
			return err
		}
		if op.Value != nil {
			val, ok := op.Value.(json.RawMessage)
			if !ok {
				if val, err = json.Marshal(op.Value); err != nil {
					return err
				}
			}
			head = append(append(append(head[:len(head)-1], `,"value":`...), val...), '}')
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, head...)
	}
	b = append(b, ']')
	if err := v.Patch(b); err != nil {
		return fmt.Errorf("the change could not be applied to the file: %w", err)
	}
	return nil
}

// entryJSON renders sc one field a line, each value on its line.
func entryJSON(sc Server) json.RawMessage {
	b, _ := json.Marshal(sc)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	out := []byte("{")
	for _, k := range managedFields {
		if val, ok := m[k]; ok {
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = append(append(out, "\n\""+k+"\": "...), val...)
		}
	}
	return append(out, "\n}"...)
}

// fieldOps sets each field this package manages to sc's value, removing the
// ones sc leaves empty.
func fieldOps(v *hujson.Value, ptr string, sc Server) []patchOp {
	b, _ := json.Marshal(sc)
	var want map[string]json.RawMessage
	_ = json.Unmarshal(b, &want)
	var ops []patchOp
	for _, k := range managedFields {
		p := ptr + "/" + k
		if val, ok := want[k]; ok {
			ops = append(ops, patchOp{Op: "add", Path: p, Value: val})
		} else if v.Find(p) != nil {
			ops = append(ops, patchOp{Op: "remove", Path: p})
		}
	}
	return ops
}

// managedFields are Server's JSON fields, in the order a new entry
// gets them.
var managedFields = []string{"type", "command", "args", "env", "cwd", "url", "headers",
	"description", "disabled", "allowTools", "denyTools", "approval"}

// newFile is what a missing mcp-config.json starts as.
const newFile = "{\n  \"mcpServers\": {\n  }\n}\n"

// edit reads the file, lets fn patch it, then formats it and writes it
// atomically after backing the old content up.
func edit(path string, opts EditOptions, fn func(v *hujson.Value, names map[string]bool) error) error {
	data, err := os.ReadFile(path)
	exists := err == nil
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data = []byte(newFile)
	case err != nil:
		return &Error{path, err}
	}
	entries, err := rawEntries(path, data)
	if err != nil {
		return fmt.Errorf("%w (fix the file by hand; it was not changed)", err)
	}
	v, _ := hujson.Parse(bytes.Clone(data)) // parsed by rawEntries already; the tree aliases its input
	if v.Find("/mcpServers") == nil {
		if err := patch(&v, []patchOp{{Op: "add", Path: "/mcpServers", Value: map[string]any{}}}); err != nil {
			return err
		}
	}
	names := map[string]bool{}
	for n := range entries {
		names[n] = true
	}
	if err := fn(&v, names); err != nil {
		return err
	}
	v.Format()
	noTrailingCommas(&v)
	out := reindent(v.Pack(), indentOf(data))
	if exists {
		if bytes.Equal(out, data) {
			return nil
		}
		if err := backup(path, data, opts); err != nil {
			return err
		}
	}
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := fsx.WriteFile(path, out, mode); err != nil {
		return fmt.Errorf("write %s: %w (the file was not changed)", path, err)
	}
	return nil
}

// noTrailingCommas undoes the trailing commas Format adds to files with
// comments, so that the file stays readable by strict JSON parsers where it
// was. A comma followed by a comment is left alone.
func noTrailingCommas(v *hujson.Value) {
	var last *hujson.Value
	switch c := v.Value.(type) {
	case *hujson.Object:
		for i := range c.Members {
			noTrailingCommas(&c.Members[i].Value)
		}
		if n := len(c.Members); n > 0 {
			last = &c.Members[n-1].Value
		}
	case *hujson.Array:
		for i := range c.Elements {
			noTrailingCommas(&c.Elements[i])
		}
		if n := len(c.Elements); n > 0 {
			last = &c.Elements[n-1]
		}
	}
	if last != nil && last.AfterExtra != nil && len(last.AfterExtra) == 0 {
		last.AfterExtra = nil
	}
}

// indentOf guesses a file's indentation unit from its first indented line;
// two spaces when it has none.
func indentOf(data []byte) string {
	for _, line := range bytes.Split(data, []byte("\n")) {
		trimmed := bytes.TrimLeft(line, " \t")
		if n := len(line) - len(trimmed); n > 0 && len(trimmed) > 0 {
			return string(line[:n])
		}
	}
	return "  "
}

// reindent turns the tabs that hujson's Format indents with into unit.
func reindent(data []byte, unit string) []byte {
	if unit == "\t" {
		return data
	}
	lines := bytes.Split(data, []byte("\n"))
	for i, line := range lines {
		n := 0
		for n < len(line) && line[n] == '\t' {
			n++
		}
		if n > 0 {
			lines[i] = append(bytes.Repeat([]byte(unit), n), line[n:]...)
		}
	}
	return bytes.Join(lines, []byte("\n"))
}

// backup copies data into the backup folder under a UTC timestamp and keeps
// the newest keepBackups copies.
func backup(path string, data []byte, opts EditOptions) error {
	dir := opts.BackupDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(path), "backups")
	}
	if _, err := (fsx.Backups{Dir: dir, Keep: keepBackups}).Save(filepath.Base(path), data); err != nil {
		return fmt.Errorf("back up %s: %w", path, err)
	}
	return nil
}
