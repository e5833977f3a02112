package skills

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// ParseError is a source Deno does not parse: Deno's message, with the
// position it names in the skill's file.
type ParseError struct {
	Skill   string
	Message string // Deno's message, the file named skills/<name>.ts
	// Line and Column are 1-based; 0 when Deno named no position.
	Line, Column int
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("skill %s does not parse: %s", e.Skill, e.Message)
}

// parseError reads the position Deno's message gives the skill's file:
// its last "skills/<name>.ts:LINE:COLUMN" (Deno ends with "at file:L:C").
func parseError(name, msg string) *ParseError {
	e := &ParseError{Skill: name, Message: msg}
	re := regexp.MustCompile(regexp.QuoteMeta(Prefix+name+".ts") + `:(\d+):(\d+)`)
	if m := re.FindAllStringSubmatch(msg, -1); len(m) > 0 {
		last := m[len(m)-1]
		e.Line, _ = strconv.Atoi(last[1])
		e.Column, _ = strconv.Atoi(last[2])
	}
	return e
}

// parseProblem is Deno's error for a source the import walker refused, if
// Deno cannot parse it either: Deno's message and position then say why,
// in the terms of the file that is saved. Deno reads the source alone
// (its imports left unresolved, so nothing is fetched); an error that
// names no place in it (an import it cannot resolve) is not a parse
// error, and nil leaves the walker's reason standing.
func (s Store) parseProblem(ctx context.Context, sk Skill) *ParseError {
	_, err := Describe(ctx, s.Deno, sk.Name, sk.Source, nil)
	var pe *ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe
	}
	return nil
}
