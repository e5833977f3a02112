package clients

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/tailscale/hujson"
)

// When Register creates a configuration file, it notes so (and which
// folders it created for it) in <conductor home>/created/. Unregister then
// deletes the file again if nothing but an empty server list is left, so a
// project folder gets back to how it was, not to a stray {"mcpServers": {}}.

type createdRecord struct {
	Path string   `json:"path"`
	Dirs []string `json:"dirs,omitempty"` // deepest first
	file string
}

func createdFile(home, path string) string {
	sum := sha256.Sum256([]byte(path))
	return filepath.Join(home, "created", hex.EncodeToString(sum[:8])+".json")
}

// created returns the record of path, nil if Register did not create it.
func created(home, path string) *createdRecord {
	name := createdFile(home, path)
	b, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var r createdRecord
	if json.Unmarshal(b, &r) != nil || r.Path != path {
		return nil
	}
	r.file = name
	return &r
}

// recordCreated notes that path (and dirs) were created. It is best
// effort: without the note, Unregister only leaves an empty list behind.
func recordCreated(home, path string, dirs []string) {
	name := createdFile(home, path)
	if ensureHome(home) != nil || os.MkdirAll(filepath.Dir(name), 0o700) != nil {
		return
	}
	b, _ := json.Marshal(createdRecord{Path: path, Dirs: dirs})
	writeAtomic(name, append(b, '\n'), 0o600)
}

// undo removes the record and, with dirs, the folders Register created if
// they are empty.
func (r *createdRecord) undo(dirs bool) {
	for _, d := range r.Dirs {
		if dirs {
			os.Remove(d) // fails, harmlessly, when something else is in it
		}
	}
	os.Remove(r.file)
}

// missingDirs lists dir and its ancestors that do not exist, deepest first.
func missingDirs(dir string) []string {
	var out []string
	for d := dir; !exists(d); d = filepath.Dir(d) {
		out = append(out, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	return out
}

// emptyShell reports whether data holds nothing but an empty server list
// (or nothing at all): what is left of a file Register created once our
// entry is removed.
func (c Client) emptyShell(data []byte) bool {
	if isSpace(data) {
		return true
	}
	if c.def.format == formatTOML || hasComment(data) {
		return false
	}
	v, err := hujson.Parse(data)
	if err != nil {
		return false
	}
	root, ok := v.Value.(*hujson.Object)
	if !ok || len(root.Members) != 1 || member(root, c.def.key) != 0 {
		return false
	}
	servers, ok := root.Members[0].Value.Value.(*hujson.Object)
	return ok && len(servers.Members) == 0
}
