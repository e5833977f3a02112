package skills

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func editStore(t *testing.T) Store {
	t.Helper()
	home := t.TempDir()
	return Store{Dir: filepath.Join(home, "skills"), Backups: filepath.Join(home, "backups", "skills"), Deno: testenv.Deno(t)}
}

// TestSaveOver: an edit saves only over the revision it opened; a skill
// saved again, deleted, or (for a new skill) taken since is refused with
// ErrChanged and nothing written; the same text saved again keeps its
// revision.
func TestSaveOver(t *testing.T) {
	s := editStore(t)
	ctx := context.Background()
	v1 := Skill{Name: "greet", Description: "Greets.", Source: "export function greet() { return 1 }\n"}
	if _, _, err := s.SaveOver(ctx, v1, ""); err != nil {
		t.Fatalf("a new skill: %v", err)
	}
	o, err := s.Open("greet")
	if err != nil || o.Skill != v1 || o.Revision == "" {
		t.Fatalf("Open: %+v, %v", o, err)
	}
	if _, _, err := s.Save(ctx, v1); err != nil {
		t.Fatal(err)
	}
	if now, _ := s.Revision("greet"); now != o.Revision {
		t.Errorf("the same text saved again changed the revision")
	}
	v2 := v1
	v2.Description = "Greets, described anew."
	if _, _, err := s.Save(ctx, v2); err != nil { // another client's save
		t.Fatal(err)
	}
	mine := v1
	mine.Source = "export function greet() { return 'mine' }\n"
	for _, tt := range []struct {
		name     string
		sk       Skill
		revision string
	}{
		{"saved again since (the description)", mine, o.Revision},
		{"a new skill whose name is taken", mine, ""},
		{"a made-up revision", mine, strings.Repeat("0", 64)},
	} {
		if _, _, err := s.SaveOver(ctx, tt.sk, tt.revision); !errors.Is(err, ErrChanged) {
			t.Errorf("%s: %v, want ErrChanged", tt.name, err)
		}
		if got, _ := os.ReadFile(filepath.Join(s.Dir, "greet.ts")); string(got) != v1.Source {
			t.Errorf("%s: greet.ts = %q", tt.name, got)
		}
	}
	if err := s.Delete("greet"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SaveOver(ctx, mine, o.Revision); !errors.Is(err, ErrChanged) {
		t.Errorf("deleted since: %v, want ErrChanged", err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "greet.ts")); err == nil {
		t.Error("a deleted skill was written again")
	}
}

// TestSaveWaitsForTheLock: every save writes holding the folder's lock,
// so while another process holds it nothing is written (proved by holding
// the lock, not by timing).
func TestSaveWaitsForTheLock(t *testing.T) {
	s := editStore(t)
	unlock, err := fsx.Lock(context.Background(), s.Dir+".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	// The lock stays held throughout, so the outcome does not depend on
	// how long the wait is, only on the lock being taken at all.
	defer func(d time.Duration) { lockWait = d }(lockWait)
	lockWait = 100 * time.Millisecond
	ctx := context.Background()
	sk := Skill{Name: "x", Description: "X.", Source: "export function x() {}\n"}
	if _, _, err := s.Save(ctx, sk); err == nil || !strings.Contains(err.Error(), "another MCP Conductor is saving") {
		t.Errorf("Save under another's lock: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "x.ts")); err == nil {
		t.Error("x.ts was written under another's lock")
	}
}

// TestParseErrorPosition: a source Deno cannot parse is refused with
// Deno's message and the position it names, also when the import walker
// refused it first.
func TestParseErrorPosition(t *testing.T) {
	s := editStore(t)
	walkerRefuses := s
	walkerRefuses.Imports = func(string) ([]string, error) { return nil, errors.New("the walker cannot read it") }
	for _, tt := range []struct {
		name         string
		store        Store
		source       string
		line, column int
		message      string
	}{
		{"template", s, "export function f(n: string) {\n  return `hi ${n`\n}\n", 2, 17, "Unterminated template"},
		{"expression", s, "export const x = 1 +;\n", 1, 21, "Expression expected"},
		{"the walker refused first", walkerRefuses, "export function f( {\n", 1, 21, "Unexpected token"},
	} {
		_, err := tt.store.Check(context.Background(), Skill{Name: "s", Description: "S.", Source: tt.source})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || pe.Column != tt.column || !strings.Contains(pe.Message, tt.message) {
			t.Errorf("%s: %#v, want %q at %d:%d", tt.name, err, tt.message, tt.line, tt.column)
			continue
		}
		if strings.Contains(pe.Message, os.TempDir()) || !strings.Contains(pe.Message, "skills/s.ts") {
			t.Errorf("%s: the message names the temporary file, not the skill's: %s", tt.name, pe.Message)
		}
	}
	// The walker's reason stands where Deno parses the source.
	_, err := walkerRefuses.Check(context.Background(), Skill{Name: "s", Description: "S.", Source: "export function f() {}\n"})
	var pe *ParseError
	if errors.As(err, &pe) || err == nil || !strings.Contains(err.Error(), "the walker cannot read it") {
		t.Errorf("a source Deno parses, refused by the walker: %v", err)
	}
}
