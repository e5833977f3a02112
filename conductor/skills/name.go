// Package skills keeps code worth keeping between executions: TypeScript
// modules saved with save_skill into the conductor's skills folder, one
// <name>.ts (the source, as given) beside <name>.json (its description and
// the signatures of its exports), importable from later executions as
// "skills/<name>". The sandbox may read the sources but never write the
// folder; only the conductor (this package) writes it, through fsx.
package skills

import (
	"fmt"
	"regexp"
	"strings"
)

// Prefix starts every skill's import specifier: "skills/<name>".
const Prefix = "skills/"

// Caps on what is saved.
const (
	MaxSource      = 64 << 10 // bytes of TypeScript
	MaxDescription = 1 << 10  // bytes
	MaxName        = 64
)

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// reserved are names Windows refuses as file names, whatever the extension.
var reserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true}

// ValidName refuses a name that is not a plain, portable file name: lower
// case letters, digits, '-' and '_', starting with a letter, at most
// MaxName bytes. So a name can hold no path (no '/', '\\', '.', ':'),
// cannot differ from another only in case (macOS and Windows folders
// ignore case), and is never one of Windows' device names.
func ValidName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the skill's name is empty; use lower-case letters, digits, - and _, starting with a letter")
	case len(name) > MaxName:
		return fmt.Errorf("the skill's name is %d bytes long; use at most %d", len(name), MaxName)
	case !nameRe.MatchString(name):
		return fmt.Errorf("%q is not a skill name: use lower-case letters, digits, - and _, starting with a letter (no paths, dots or spaces)", name)
	}
	base := strings.TrimRight(name, "0123456789")
	if reserved[name] || ((base == "com" || base == "lpt") && len(name) == 4) {
		return fmt.Errorf("%q is a device name on Windows; choose another name", name)
	}
	return nil
}

// NameOf returns the skill a specifier imports ("skills/x" gives "x") and
// whether the specifier names one at all. A specifier that starts with the
// prefix but is not exactly a valid name ("skills/../x", "skills/a/b")
// gives ok true and a non-nil error.
func NameOf(specifier string) (name string, ok bool, err error) {
	rest, found := strings.CutPrefix(specifier, Prefix)
	if !found {
		return "", false, nil
	}
	if err := ValidName(rest); err != nil {
		return "", true, fmt.Errorf("import %q: %v", specifier, err)
	}
	return rest, true, nil
}
