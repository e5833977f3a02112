package skills

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// Skill is what save_skill is given.
type Skill struct {
	Name        string
	Description string
	Source      string // TypeScript exporting functions
}

// Info is one saved skill as list_skills shows it.
type Info struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Import      string    `json:"import" jsonschema:"the specifier to import it with, such as skills/name"`
	Exports     []Export  `json:"exports"`
	SavedAt     time.Time `json:"savedAt"`
	// Problem says why the skill cannot be described (its source no longer
	// parses, say, after an edit by hand).
	Problem string `json:"problem,omitempty"`
}

// File is one importable skill source in the folder: a regular file (never
// a link) with a valid name.
type File struct {
	Name    string
	Path    string
	ModTime time.Time
	Version fsx.Version // to tell a skill saved again apart
}

// meta is <name>.json.
type meta struct {
	Description string    `json:"description"`
	SavedAt     time.Time `json:"savedAt"`
	SHA256      string    `json:"sha256"` // of the source the exports were read from
	Exports     []Export  `json:"exports"`
}

// Store is the skills folder.
type Store struct {
	Dir     string // <home>/skills
	Backups string // where replaced and deleted skills are copied
	Deno    string // the Deno binary that checks and describes sources
	// Imports lists the import specifiers of a source (the sandbox's own
	// import walker), refusing those an execution could not import.
	Imports func(source string) ([]string, error)
}

// keepBackups is how many copies of each skill file the backups keep.
const keepBackups = 10

// Files lists the importable skills, by name. Entries that are not regular
// files (links, folders) or whose names are not valid are left out: the
// sandbox is given exactly these files to read.
func (s Store) Files() ([]File, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the skills folder: %w", err)
	}
	var out []File
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".ts")
		if !ok || ValidName(name) != nil || !e.Type().IsRegular() {
			continue
		}
		st, err := os.Lstat(filepath.Join(s.Dir, e.Name()))
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		out = append(out, File{Name: name, Path: filepath.Join(s.Dir, e.Name()), ModTime: st.ModTime(), Version: fsx.VersionFrom(st)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Check validates sk without saving it: the name, the caps, the imports
// (through s.Imports) and that Deno parses it; it returns its exports.
func (s Store) Check(ctx context.Context, sk Skill) ([]Export, error) {
	if err := ValidName(sk.Name); err != nil {
		return nil, err
	}
	switch {
	case len(sk.Source) > MaxSource:
		return nil, fmt.Errorf("the source is %d bytes; a skill holds at most %d", len(sk.Source), MaxSource)
	case strings.TrimSpace(sk.Source) == "":
		return nil, fmt.Errorf("the source is empty; give TypeScript that exports functions")
	case !utf8.ValidString(sk.Source):
		return nil, fmt.Errorf("the source is not UTF-8 text")
	case len(sk.Description) > MaxDescription:
		return nil, fmt.Errorf("the description is %d bytes; use at most %d", len(sk.Description), MaxDescription)
	case strings.TrimSpace(sk.Description) == "":
		return nil, fmt.Errorf("the description is empty; say in a sentence what the skill does")
	}
	var imports []string
	if s.Imports != nil {
		var err error
		if imports, err = s.Imports(sk.Source); err != nil {
			if pe := s.parseProblem(ctx, sk); pe != nil {
				return nil, pe
			}
			return nil, fmt.Errorf("skill %s: %w", sk.Name, err)
		}
	}
	exports, err := Describe(ctx, s.Deno, sk.Name, sk.Source, imports)
	if err != nil {
		return nil, err
	}
	functions := 0
	for _, e := range exports {
		if e.Kind == "function" {
			functions++
		}
	}
	if functions == 0 {
		return nil, fmt.Errorf("skill %s exports no function; export at least one (export function name(...) { ... })", sk.Name)
	}
	return exports, nil
}

// Save checks sk (see Check) and stores it: <name>.ts and <name>.json,
// each written atomically, a replaced file first copied to the backups.
// It returns the skill's exports and whether a skill of that name was
// replaced.
func (s Store) Save(ctx context.Context, sk Skill) (exports []Export, replaced bool, err error) {
	return s.save(ctx, sk, nil)
}

// save is Save; before, if not nil, runs with the folder locked, just
// before anything is written, and refuses the save with its error.
func (s Store) save(ctx context.Context, sk Skill, before func() error) (exports []Export, replaced bool, err error) {
	exports, err = s.Check(ctx, sk)
	if err != nil {
		return nil, false, err
	}
	if err := fsx.MkdirPrivate(s.Dir); err != nil {
		return nil, false, fmt.Errorf("create the skills folder: %w", err)
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	if before != nil {
		if err := before(); err != nil {
			return nil, false, err
		}
	}
	src, metaPath := s.paths(sk.Name)
	for _, p := range []string{src, metaPath} {
		// What is replaced is copied first, if it is a file: a link planted
		// in the folder is replaced, never followed.
		if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
			if err == nil {
				replaced = true
			}
			continue
		}
		old, err := os.ReadFile(p)
		if err != nil {
			return nil, false, fmt.Errorf("read the saved skill %s: %w", sk.Name, err)
		}
		replaced = true
		if _, err := s.backups().Save(filepath.Base(p), old); err != nil {
			return nil, false, fmt.Errorf("back up skill %s: %w", sk.Name, err)
		}
	}
	m, err := json.MarshalIndent(meta{Description: sk.Description, SavedAt: time.Now().UTC(), SHA256: sum(sk.Source), Exports: exports}, "", "  ")
	if err != nil {
		return nil, false, err
	}
	// The description first: a source never appears without its own.
	if err := fsx.WriteFile(metaPath, append(m, '\n'), 0o600); err != nil {
		return nil, false, fmt.Errorf("save skill %s: %w", sk.Name, err)
	}
	if err := fsx.WriteFile(src, []byte(sk.Source), 0o600); err != nil {
		return nil, false, fmt.Errorf("save skill %s: %w", sk.Name, err)
	}
	return exports, replaced, nil
}

// List describes every importable skill. A source changed since it was
// saved (by hand) is described again with Deno.
func (s Store) List(ctx context.Context) ([]Info, error) {
	files, err := s.Files()
	if err != nil {
		return nil, err
	}
	out := []Info{}
	for _, f := range files {
		info := Info{Name: f.Name, Import: Prefix + f.Name, Exports: []Export{}, SavedAt: f.ModTime.UTC()}
		src, err := os.ReadFile(f.Path)
		if err != nil {
			info.Problem = "cannot be read: " + err.Error()
			out = append(out, info)
			continue
		}
		var m meta
		if b, err := os.ReadFile(filepath.Join(s.Dir, f.Name+".json")); err == nil && json.Unmarshal(b, &m) == nil {
			info.Description = m.Description
			if !m.SavedAt.IsZero() {
				info.SavedAt = m.SavedAt
			}
		}
		if m.SHA256 == sum(string(src)) {
			info.Exports = m.Exports
		} else if exports, err := s.describeSaved(ctx, f.Name, string(src)); err != nil {
			info.Problem = err.Error()
		} else {
			info.Exports = exports
		}
		if info.Exports == nil {
			info.Exports = []Export{}
		}
		out = append(out, info)
	}
	return out, nil
}

func (s Store) describeSaved(ctx context.Context, name, src string) ([]Export, error) {
	var imports []string
	if s.Imports != nil {
		var err error
		if imports, err = s.Imports(src); err != nil {
			return nil, err
		}
	}
	return Describe(ctx, s.Deno, name, src, imports)
}

// Source returns the saved source of a skill.
func (s Store) Source(name string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", err
	}
	src, _ := s.paths(name)
	st, err := os.Lstat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("there is no skill named %s", name)
	}
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("skill %s is not a regular file (a link?); the conductor does not import it", name)
	}
	b, err := os.ReadFile(src)
	return string(b), err
}

// Delete removes a skill, its files first copied to the backups. Code
// that imports it fails from the next execution on.
func (s Store) Delete(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	src, metaPath := s.paths(name)
	if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("there is no skill named %s", name)
	}
	for _, p := range []string{src, metaPath} {
		st, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("delete skill %s: %w", name, err)
		}
		if st.Mode().IsRegular() {
			old, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("delete skill %s: %w", name, err)
			}
			if _, err := s.backups().Save(filepath.Base(p), old); err != nil {
				return fmt.Errorf("back up skill %s: %w", name, err)
			}
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("delete skill %s: %w", name, err)
		}
	}
	return nil
}

func (s Store) paths(name string) (src, meta string) {
	return filepath.Join(s.Dir, name+".ts"), filepath.Join(s.Dir, name+".json")
}

func (s Store) backups() fsx.Backups {
	return fsx.Backups{Dir: s.Backups, Keep: keepBackups}
}

func sum(src string) string {
	h := sha256.Sum256([]byte(src))
	return hex.EncodeToString(h[:])
}
