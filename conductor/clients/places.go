package clients

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A Place is one of a client's user-scope locations, for the clients that
// have several (Cline: its editor extension and its CLI read different
// files). Clients with one place have a single Place named "".
type Place struct {
	// Name selects it in Options.Place and `--force=NAME`, e.g. "cli".
	Name string
	// Label describes it, e.g. "cline CLI".
	Label string
}

// Places lists c's user-scope places, best first.
func (c Client) Places() []Place {
	out := make([]Place, len(c.def.places))
	for i, p := range c.def.places {
		out[i] = Place{Name: p.name, Label: p.label}
	}
	return out
}

// InstalledPlaces returns the names of c's places that seem installed.
func (c Client) InstalledPlaces(opts Options) []string {
	env, err := opts.env()
	if err != nil {
		return nil
	}
	var out []string
	for i := range c.def.places {
		if c.def.places[i].installed(env) {
			out = append(out, c.def.places[i].name)
		}
	}
	return out
}

// place returns the place opts selects: opts.Place by name, else the first
// installed one, else the first.
func (c Client) place(opts Options, env Env) (*place, error) {
	ps := c.def.places
	if opts.Place != "" {
		var names []string
		for i := range ps {
			if ps[i].name == opts.Place {
				return &ps[i], nil
			}
			if ps[i].name != "" {
				names = append(names, ps[i].name)
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s has one place; use --force without a value", c.Name)
		}
		return nil, fmt.Errorf("%s has no place %q; choose %s", c.Name, opts.Place, strings.Join(names, " or "))
	}
	for i := range ps {
		if ps[i].installed(env) {
			return &ps[i], nil
		}
	}
	return &ps[0], nil
}

// installed reports whether the place's folders, markers or programs exist.
func (p *place) installed(env Env) bool {
	var m []string
	if p.markers != nil {
		m = p.markers(env)
	}
	for _, f := range p.user(env) {
		m = append(m, f, filepath.Dir(f))
	}
	for _, f := range m {
		if f != "" && f != env.Home && exists(f) {
			return true
		}
	}
	for _, cmd := range p.commands {
		if env.lookPath(cmd) != "" {
			return true
		}
	}
	return false
}

// lookPath finds an executable named name in the Env's PATH.
func (e Env) lookPath(name string) string {
	exts := []string{""}
	if e.GOOS == "windows" {
		exts = []string{".exe", ".cmd", ".bat"}
	}
	for _, dir := range filepath.SplitList(e.getenv("PATH")) {
		if dir == "" {
			continue
		}
		for _, x := range exts {
			p := filepath.Join(dir, name+x)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && (e.GOOS == "windows" || fi.Mode()&0o111 != 0) {
				return p
			}
		}
	}
	return ""
}
