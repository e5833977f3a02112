package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The tools are registered with go-sdk's lower-level Server.AddTool, which
// leaves the arguments to the handler: go-sdk's typed AddTool answers
// invalid arguments before the handler runs, with a result that has no
// structuredContent and a multi-part message, and run_deno_code promises
// its documented shape for every failure. args checks the arguments against
// what the published input schema (schema.go) says, one rule per argument,
// and says in one line what is wrong.

// args are a tool call's arguments.
type args struct {
	tool string
	m    map[string]json.RawMessage
}

// parseArgs reads raw as a JSON object whose keys are all among known. No
// arguments at all count as {}.
func parseArgs(tool string, raw json.RawMessage, known ...string) (args, error) {
	a := args{tool: tool, m: map[string]json.RawMessage{}}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return a, nil
	}
	if raw[0] != '{' {
		return a, fmt.Errorf("the arguments of %s must be a JSON object, got %s", tool, excerpt(raw))
	}
	if err := json.Unmarshal(raw, &a.m); err != nil {
		return a, fmt.Errorf("the arguments of %s are not valid JSON: %v", tool, err)
	}
	for _, k := range slices.Sorted(maps.Keys(a.m)) {
		if !slices.Contains(known, k) {
			takes := "no arguments"
			if len(known) > 0 {
				takes = "only " + quoteList(known)
			}
			return a, fmt.Errorf("unknown argument %q: %s takes %s", k, tool, takes)
		}
	}
	return a, nil
}

// get returns the argument's raw value; an absent argument and null are
// both absent.
func (a args) get(name string) (json.RawMessage, bool) {
	v, ok := a.m[name]
	if !ok || string(bytes.TrimSpace(v)) == "null" {
		return nil, false
	}
	return v, true
}

// String returns a string argument. A required one must be present.
func (a args) String(name string, required bool, what string) (string, error) {
	v, ok := a.get(name)
	if !ok {
		if required {
			return "", fmt.Errorf("argument %q is missing: %s needs %s", name, a.tool, what)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("argument %q must be a string (%s), got %s", name, what, excerpt(v))
	}
	return s, nil
}

// Strings returns an array-of-strings argument.
func (a args) Strings(name, what string) ([]string, error) {
	v, ok := a.get(name)
	if !ok {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, fmt.Errorf("argument %q must be an array of strings (%s), got %s", name, what, excerpt(v))
	}
	out := make([]string, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it, &out[i]); err != nil {
			return nil, fmt.Errorf("argument %q must be an array of strings (%s), but item %d is %s", name, what, i, excerpt(it))
		}
	}
	return out, nil
}

// Millis returns a non-negative number of milliseconds, rounded to the
// nearest whole one; a positive value below 1 is 1 (it asks for a short
// limit, not for none), and values too large for a time.Duration are
// capped (the runner caps them to the administrator's maximum anyway).
func (a args) Millis(name string) (int64, error) {
	v, ok := a.get(name)
	if !ok {
		return 0, nil
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64) // out of range: ±Inf
	if (err != nil && !errors.Is(err, strconv.ErrRange)) || !json.Valid(v) {
		return 0, fmt.Errorf("argument %q must be a number of milliseconds, got %s", name, excerpt(v))
	}
	if f < 0 {
		return 0, fmt.Errorf("argument %q must be a non-negative number of milliseconds, got %s", name, excerpt(v))
	}
	const maxMillis = float64(math.MaxInt64 / int64(time.Millisecond)) // the most a time.Duration holds
	ms := math.Round(min(f, maxMillis))
	if ms == 0 && f > 0 {
		ms = 1
	}
	return int64(ms), nil
}

// Globals returns an object argument whose keys are JavaScript identifiers.
func (a args) Globals(name string) (map[string]any, error) {
	return a.globalsNamed(name, identRe(), "JavaScript identifier", "use letters, digits, _ and $, not starting with a digit")
}

// PythonGlobals returns an object argument whose keys are Python names.
func (a args) PythonGlobals(name string) (map[string]any, error) {
	return a.globalsNamed(name, pyIdentRe(), "Python identifier", "use ASCII letters, digits and _, not starting with a digit")
}

func (a args) globalsNamed(name string, re *regexp.Regexp, what, hint string) (map[string]any, error) {
	v, ok := a.get(name)
	if !ok {
		return nil, nil
	}
	var m map[string]any
	if bytes.TrimSpace(v)[0] != '{' || json.Unmarshal(v, &m) != nil {
		return nil, fmt.Errorf("argument %q must be an object of global variables by name, got %s", name, excerpt(v))
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !re.MatchString(k) {
			return nil, fmt.Errorf("argument %q: %q is not a %s, so it cannot name a global variable; %s", name, k, what, hint)
		}
	}
	return m, nil
}

var (
	identRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(identPattern) })
	pyIdentRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pyIdentPattern) })
)

// excerpt shows a JSON value in an error message: short, on one line.
func excerpt(v json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		b.Reset()
		b.Write(v)
	}
	r := []rune(strings.Join(strings.Fields(b.String()), " "))
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return string(r)
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// Int returns a whole-number argument between lo and hi; absent is 0.
func (a args) Int(name string, lo, hi int) (int, error) {
	v, ok := a.get(name)
	if !ok {
		return 0, nil
	}
	var n int
	if err := json.Unmarshal(v, &n); err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("argument %q must be a whole number from %d to %d, got %s", name, lo, hi, excerpt(v))
	}
	return n, nil
}
