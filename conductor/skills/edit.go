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
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// ErrChanged refuses an edit saved over a skill that is no longer the one
// the editor opened: it was saved again (by save_skill, another window, a
// hand edit) or deleted since, or a new skill's name is taken meanwhile.
var ErrChanged = errors.New("the skill changed since it was opened")

// lockWait bounds the wait for another conductor process's save (a
// variable for the test that holds the lock).
var lockWait = 10 * time.Second

// Opened is a saved skill as an editor reads it: the skill and the
// revision it was read at.
type Opened struct {
	Skill
	// Revision names this state of the skill on disk (see Revision).
	Revision string
}

// Open reads a saved skill for editing: its source, its description and
// the revision they make.
func (s Store) Open(name string) (Opened, error) {
	src, err := s.Source(name)
	if err != nil {
		return Opened{}, err
	}
	desc := s.description(name)
	return Opened{Skill: Skill{Name: name, Description: desc, Source: src}, Revision: revision(src, desc)}, nil
}

// Revision names the saved state of a skill, "" when there is none: a hash
// of its source and its description as they are on disk, so any change to
// either (a save, a hand edit) gives another revision, and a save of the
// same text does not.
func (s Store) Revision(name string) (string, error) {
	src, err := s.Source(name)
	if err != nil {
		if _, statErr := os.Lstat(s.path(name)); errors.Is(statErr, fs.ErrNotExist) {
			return "", nil
		}
		return "", err
	}
	return revision(src, s.description(name)), nil
}

// SaveOver is Save for an editor: it saves sk only if the skill on disk is
// still at revision (the one Open gave; "" for a new skill, which must not
// exist), else it refuses with an error wrapping ErrChanged and writes
// nothing. The check and the write hold the folder's lock, which every
// save takes, so no other conductor's save comes between them.
func (s Store) SaveOver(ctx context.Context, sk Skill, revision string) (exports []Export, replaced bool, err error) {
	return s.save(ctx, sk, func() error {
		now, err := s.Revision(sk.Name)
		switch {
		case err != nil:
			return err
		case now == revision:
			return nil
		case revision == "":
			return fmt.Errorf("%w: a skill named %s exists already", ErrChanged, sk.Name)
		case now == "":
			return fmt.Errorf("%w: skill %s was deleted", ErrChanged, sk.Name)
		}
		return fmt.Errorf("%w: skill %s was saved again", ErrChanged, sk.Name)
	})
}

// lock takes the skills folder's lock (a file beside the folder, so the
// folder holds only skills), waiting a while for another process's save.
func (s Store) lock(ctx context.Context) (func(), error) {
	ctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	unlock, err := fsx.Lock(ctx, s.Dir+".lock")
	if errors.Is(err, fsx.ErrLocked) {
		return nil, fmt.Errorf("another MCP Conductor is saving a skill and did not finish within %s; try again", lockWait)
	}
	return unlock, err
}

// description is the saved description of a skill, "" without one.
func (s Store) description(name string) string {
	_, metaPath := s.paths(name)
	var m meta
	if b, err := os.ReadFile(metaPath); err == nil && json.Unmarshal(b, &m) == nil {
		return m.Description
	}
	return ""
}

func (s Store) path(name string) string {
	src, _ := s.paths(name)
	return src
}

// revision hashes a source and a description, each length-prefixed so no
// two pairs give the same input.
func revision(src, desc string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s%d:%s", len(src), src, len(desc), desc)
	return hex.EncodeToString(h.Sum(nil))
}
