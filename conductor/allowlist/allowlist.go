package allowlist

import (
	"fmt"
	"sort"
	"strings"
)

// List is the administrator's set of importable packages, each pinned to
// a version constraint. The zero value allows nothing.
type List struct {
	byKey map[string]Spec // registry:name → admin's spec (no subpath)
}

// Parse parses a comma- or whitespace-separated list such as
// "npm:axios@^1, npm:lodash@^4, jsr:@std/path@^1". Every entry must name a
// version constraint so that the administrator, not the model, picks versions.
func Parse(s string) (List, error) {
	al := List{byKey: map[string]Spec{}}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == ';' }) {
		if err := al.add(f); err != nil {
			return List{}, err
		}
	}
	return al, nil
}

// New builds the allowlist from entries given one by one (the
// settings file's list): each entry is exactly one package, so a separator
// inside an entry is an error, never a second package.
func New(entries []string) (List, error) {
	al := List{byKey: map[string]Spec{}}
	for _, e := range entries {
		if strings.ContainsAny(e, ", \t\n;") {
			return List{}, fmt.Errorf("%q: one package per entry (it holds a separator)", e)
		}
		if err := al.add(e); err != nil {
			return List{}, err
		}
	}
	return al, nil
}

func (al List) add(f string) error {
	sp, err := ParseSpec(f)
	if err != nil {
		return err
	}
	if sp.Version == "" {
		return fmt.Errorf("%q: pin a version (for example %s@^1)", f, sp)
	}
	if sp.Subpath != "" {
		return fmt.Errorf("%q: list the package, not a subpath", f)
	}
	k := key(sp)
	if prev, dup := al.byKey[k]; dup && prev.Version != sp.Version {
		return fmt.Errorf("%q: %s is listed twice with different versions", f, k)
	}
	al.byKey[k] = sp
	return nil
}

func key(s Spec) string { return string(s.Registry) + ":" + s.Name }

// Entries returns the allowed packages, sorted.
func (a List) Entries() []Spec {
	out := make([]Spec, 0, len(a.byKey))
	for _, s := range a.byKey {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// String renders the allowlist in the form Parse reads.
func (a List) String() string {
	var parts []string
	for _, s := range a.Entries() {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, ",")
}

// Resolve decides what an import specifier in sandboxed code becomes.
//
//   - node: built-ins pass unchanged (Deno checks their permissions).
//   - npm:/jsr: packages and bare names of allowlisted packages are rewritten
//     to the administrator's version; naming another version is refused.
//   - everything else (URLs, files, relative paths, unlisted packages) is refused.
//
// It returns the specifier to import and the package to install (nil for
// built-ins).
func (a List) Resolve(specifier string) (string, *Spec, error) {
	if strings.HasPrefix(specifier, "node:") {
		return specifier, nil, nil
	}
	if isPathOrURL(specifier) {
		return "", nil, fmt.Errorf("import %q is not allowed: only allowlisted npm:/jsr: packages can be imported", specifier)
	}
	sp, err := ParseSpec(specifier)
	if err != nil {
		return "", nil, fmt.Errorf("import %q is not allowed: %v", specifier, err)
	}
	admin, ok := a.byKey[key(sp)]
	if !ok {
		return "", nil, fmt.Errorf("package %s is not in the allowlist%s", key(sp), a.hint())
	}
	if sp.Version != "" && sp.Version != admin.Version {
		return "", nil, fmt.Errorf("%s: version %q is not allowed; the administrator pinned %s (import %s without a version)", specifier, sp.Version, admin, key(sp))
	}
	pinned := admin
	pinned.Subpath = sp.Subpath
	return pinned.String(), &admin, nil
}

func (a List) hint() string {
	if len(a.byKey) == 0 {
		return " (no packages are allowed; the administrator lists them in MCP_CONDUCTOR_ALLOWED_PACKAGES)"
	}
	return " (allowed: " + a.String() + ")"
}

func isPathOrURL(s string) bool {
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "\\") {
		return true
	}
	if i := strings.Index(s, ":"); i > 0 {
		scheme := s[:i]
		return scheme != "npm" && scheme != "jsr"
	}
	return false
}
