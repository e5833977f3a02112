package fsx

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// stampLayout is the one timestamp layout of backups: UTC, sortable.
const stampLayout = "20060102T150405.000000000Z"

// Stamp renders t as a backup's timestamp.
func Stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// ParseStamp reads a timestamp Stamp wrote.
func ParseStamp(s string) (time.Time, error) { return time.Parse(stampLayout, s) }

// Backups is a folder of copies of files taken before they were changed,
// named <timestamp>_<name>, keeping the newest Keep copies of each name.
type Backups struct {
	Dir  string
	Keep int
	// Sidecars are suffixes of files kept beside each copy (".path", say),
	// removed with it when it is pruned.
	Sidecars []string
}

// Save stores data as a new copy of name and prunes the oldest beyond
// Keep. It returns the copy's path.
func (b Backups) Save(name string, data []byte) (string, error) {
	if err := MkdirPrivate(b.Dir); err != nil {
		return "", fmt.Errorf("create the backup folder: %w", err)
	}
	base := Stamp(time.Now()) + "_" + name
	path := filepath.Join(b.Dir, base)
	for i := 1; exists(path); i++ {
		path = filepath.Join(b.Dir, base+"-"+strconv.Itoa(i))
	}
	if err := WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("write the backup: %w", err)
	}
	b.prune(name)
	return path, nil
}

// List returns the copies of name, newest first.
func (b Backups) List(name string) ([]string, error) {
	entries, err := os.ReadDir(b.Dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || b.isSidecar(n) {
			continue
		}
		if _, rest, ok := strings.Cut(n, "_"); ok && (name == "" || rest == name || strings.HasPrefix(rest, name+"-")) {
			out = append(out, filepath.Join(b.Dir, n))
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

func (b Backups) prune(name string) {
	if b.Keep <= 0 {
		return
	}
	list, err := b.List(name)
	if err != nil || len(list) <= b.Keep {
		return
	}
	for _, p := range list[b.Keep:] {
		os.Remove(p)
		for _, s := range b.Sidecars {
			os.Remove(p + s)
		}
	}
}

func (b Backups) isSidecar(n string) bool {
	for _, s := range b.Sidecars {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
