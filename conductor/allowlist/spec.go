// Package allowlist parses the administrator's package allowlist, decides which
// imports sandboxed code may use, pins them to the administrator's versions,
// and installs them into a cache that only the conductor writes.
package allowlist

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Registry is where a package comes from.
type Registry string

// The registries Deno can import packages from.
const (
	NPM Registry = "npm"
	JSR Registry = "jsr"
)

// Spec is a parsed package specifier such as npm:@scope/name@^1/sub/path.
type Spec struct {
	Registry Registry
	Name     string // "axios", "@std/path"
	Version  string // constraint as written; "" when absent
	Subpath  string // "" or "/fp", "/join"
}

// String renders the specifier the way Deno reads it.
func (s Spec) String() string {
	var b strings.Builder
	b.WriteString(string(s.Registry))
	b.WriteByte(':')
	b.WriteString(s.Name)
	if s.Version != "" {
		b.WriteByte('@')
		b.WriteString(s.Version)
	}
	b.WriteString(s.Subpath)
	return b.String()
}

// Package names follow npm's rules (lower-case URL-safe names, optional
// scope); JSR packages are always scoped. Versions are semver constraints.
var (
	nameRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$`) })
	versionRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9A-Za-z.^~<>=*|+ -]+$`) })
	subpathRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(/[A-Za-z0-9._@-]+)*$`) })
)

// ParseSpec parses "npm:name[@version][/subpath]" or "jsr:@scope/name[@version][/subpath]".
// A bare "name[@version]" is read as an npm package.
func ParseSpec(s string) (Spec, error) {
	orig := s
	var sp Spec
	switch {
	case strings.HasPrefix(s, "npm:"):
		sp.Registry, s = NPM, s[4:]
	case strings.HasPrefix(s, "jsr:"):
		sp.Registry, s = JSR, s[4:]
	case strings.Contains(s, ":"):
		return Spec{}, fmt.Errorf("%q: only npm: and jsr: packages can be imported", orig)
	default:
		sp.Registry = NPM
	}
	s = strings.TrimPrefix(s, "/") // "npm:/axios" is a legal Deno spelling
	// name: "@scope/pkg" or "pkg"
	nameEnd := 0
	if strings.HasPrefix(s, "@") {
		slash := strings.IndexByte(s, '/')
		if slash < 0 {
			return Spec{}, fmt.Errorf("%q: a scoped package needs a name after the scope", orig)
		}
		nameEnd = slash + 1
	}
	rest := s[nameEnd:]
	cut := strings.IndexAny(rest, "@/")
	if cut < 0 {
		cut = len(rest)
	}
	sp.Name = s[:nameEnd+cut]
	rest = rest[cut:]
	if strings.HasPrefix(rest, "@") {
		rest = rest[1:]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			slash = len(rest)
		}
		sp.Version, rest = rest[:slash], rest[slash:]
		if sp.Version == "" || !versionRe().MatchString(sp.Version) {
			return Spec{}, fmt.Errorf("%q: malformed version %q", orig, sp.Version)
		}
	}
	sp.Subpath = rest
	if !nameRe().MatchString(sp.Name) {
		return Spec{}, fmt.Errorf("%q: malformed package name %q", orig, sp.Name)
	}
	if sp.Registry == JSR && !strings.HasPrefix(sp.Name, "@") {
		return Spec{}, fmt.Errorf("%q: jsr packages are scoped (jsr:@scope/name)", orig)
	}
	if !subpathRe().MatchString(sp.Subpath) || strings.Contains(sp.Subpath, "/..") {
		return Spec{}, fmt.Errorf("%q: malformed subpath %q", orig, sp.Subpath)
	}
	return sp, nil
}
