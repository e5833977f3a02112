package config

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// PythonPackage is one entry of the Python allowlist.
type PythonPackage struct {
	Name    string // normalized (PEP 503): lower case, runs of -_. as one -
	Version string // "" = the version the Pyodide lockfile names
}

// String is the entry as the administrator writes it.
func (p PythonPackage) String() string {
	if p.Version == "" {
		return p.Name
	}
	return p.Name + "==" + p.Version
}

var (
	pyNameRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`) })
	pyVersionRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9][A-Za-z0-9.+!_-]*$`) })
	pyRunRe     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[-_.]+`) })
)

// NormalizePythonName is a distribution name as PEP 503 compares them.
func NormalizePythonName(name string) string {
	return strings.ToLower(pyRunRe().ReplaceAllString(name, "-"))
}

// ParsePythonPackages reads the Python allowlist: each entry a name, or a
// name and an exact version ("name==1.2.3"); nothing else (no ranges, URLs
// or extras), and each name once.
func ParsePythonPackages(entries []string) ([]PythonPackage, error) {
	var out []PythonPackage
	seen := map[string]bool{}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		name, version, pinned := strings.Cut(e, "==")
		name, version = strings.TrimSpace(name), strings.TrimSpace(version)
		if !pyNameRe().MatchString(name) {
			return nil, fmt.Errorf("%q is not a Python package name (write name or name==version)", e)
		}
		if pinned && !pyVersionRe().MatchString(version) {
			return nil, fmt.Errorf("%q: %q is not an exact version (write name==version)", e, version)
		}
		p := PythonPackage{Name: NormalizePythonName(name), Version: version}
		if seen[p.Name] {
			return nil, fmt.Errorf("%s is listed twice", p.Name)
		}
		seen[p.Name] = true
		out = append(out, p)
	}
	return out, nil
}

// splitList splits a comma-separated variable.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
