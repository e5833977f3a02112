package sandbox

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// protection is what sandboxed code must never reach under one policy: the
// conductor's protected files, each known by every spelling it had when the
// policy was built (as named, and resolved). Comparisons go through package
// pathid, so a symbolic link, a real path or a bind mount is no way around
// it.
type protection struct {
	items   []config.Protected
	aliases [][]string       // aliases[i] are the spellings of items[i]
	places  [][]pathid.Place // what those spellings led to when the policy was built
}

func newProtection(items []config.Protected) protection {
	pr := protection{items: items}
	for _, x := range items {
		a := x.Aliases()
		pr.aliases = append(pr.aliases, a)
		var ps []pathid.Place
		for _, s := range a {
			ps = append(ps, pathid.Snap(s))
		}
		pr.places = append(pr.places, ps)
	}
	return pr
}

// deny returns the spellings Deno's --deny-read (write=false) or
// --deny-write (write=true) must list.
func (pr protection) deny(write bool) []string {
	var out []string
	for i, x := range pr.items {
		if write || x.Access == config.NoAccess {
			out = append(out, pr.aliases[i]...)
		}
	}
	return out
}

// inside returns the protected places that lie at or beneath root (by what
// they lead to), spelled beneath root's resolved form, for the kernel
// layer to carve out. For a read grant (write=false) only NoAccess items
// count. whole is true when root itself is protected.
func (pr protection) inside(root string, write bool) (places []string, whole bool) {
	real := pathid.Resolve(root)
	for i, x := range pr.items {
		if !write && x.Access != config.NoAccess {
			continue
		}
		for _, a := range pr.aliases[i] {
			rel, ok := pathid.Within(a, real)
			if !ok {
				continue
			}
			if rel == "." {
				return nil, true
			}
			places = append(places, filepath.Join(real, rel))
		}
	}
	return places, false
}

// covers reports whether path, as it resolves now, is one of the protected
// places (or beneath one) as they were when the policy was built: what the
// kernel rules were made from. A protected name made since to lead
// elsewhere does not carry its protection along.
func (pr protection) covers(path string) (config.Protected, bool) {
	for i, x := range pr.items {
		for _, pl := range pr.places[i] {
			if pl.Holds(path) {
				return x, true
			}
		}
	}
	return config.Protected{}, false
}

// carve returns paths that together cover root except the protected places
// beneath it (and everything beneath them). Landlock can only allow, never
// deny a sub-path, so a granted folder holding a protected place is granted
// entry by entry around it. Symbolic links among those entries are left
// out: a rule on a link would follow it and grant its target. Entries
// created later in such a folder are not covered either: the result fails
// closed. root and places are spelled alike (places lie beneath root by
// spelling, as protection.inside returns them).
func carve(root string, places []string) []string {
	root = filepath.Clean(root)
	var below []string
	for _, p := range places {
		p = filepath.Clean(p)
		if p == root {
			return nil // root itself is protected
		}
		if isWithin(p, root) {
			below = append(below, p)
		}
	}
	if len(below) == 0 {
		return []string{root}
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			continue
		}
		out = append(out, carve(filepath.Join(root, e.Name()), below)...)
	}
	sort.Strings(out)
	return out
}

// refuseHardLinks refuses a policy that grants files at all while one of
// the conductor's own files (settings, MCP servers, token, logs) has a
// second name: no resolution leads from one hard link to the other, so the
// second name could lie inside a grant unseen. Programs are left out
// (Deno's npm package, and many system programs, have several names).
func (pr protection) refuseHardLinks(grantsFiles bool) error {
	if !grantsFiles {
		return nil
	}
	for _, x := range pr.items {
		if x.Access != config.NoAccess || x.Program {
			continue
		}
		if n := hardLinks(x.Path); n > 1 {
			return fmt.Errorf("%s (%s) has %d hard links: another name for it could lie inside a folder granted to sandboxed code; replace the extra links with copies", x.Path, x.What, n)
		}
	}
	return nil
}

// refuseUnconfined refuses grants that only the kernel layer could make
// safe. Without it Deno checks paths by their spelling, so a grant that
// holds a protected place, or a link inside a grant that leads to one, lets
// code reach it by another name. roots are the granted folders; scan looks
// into each for such links, up to a budget of entries.
func (pr protection) refuseUnconfined(read, write []string, why string) error {
	check := func(roots []string, writing bool) error {
		verb := "read"
		if writing {
			verb = "change"
		}
		for _, root := range roots {
			if places, whole := pr.inside(root, writing); whole || len(places) > 0 {
				target := root
				if len(places) > 0 {
					target = places[0]
				}
				x, _ := pr.covers(target)
				return fmt.Errorf("the grant of %s would let sandboxed code %s %s (%s): without kernel confinement (%s) the conductor cannot keep it out; grant a folder that does not hold it", root, verb, x.What, x.Path, why)
			}
			if link, x, found := pr.findLink(root, writing, 20000); found {
				return fmt.Errorf("%s, inside the grant of %s, is a link to %s (%s): without kernel confinement (%s) sandboxed code could %s it through the link; remove the link or grant another folder", link, root, x.What, x.Path, why, verb)
			}
		}
		return nil
	}
	if err := check(write, true); err != nil {
		return err
	}
	return check(read, false)
}

// findLink walks root (without following links) looking for a symbolic link
// or a junction that leads to a protected place, visiting at most budget
// entries. A junction (Windows' other kind of link, which any user may make)
// is reported as irregular, not as a symbolic link, since Go 1.23; it is
// checked like one and never entered.
func (pr protection) findLink(root string, write bool, budget int) (string, config.Protected, bool) {
	var link string
	var hit config.Protected
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if budget--; budget < 0 {
			return filepath.SkipAll
		}
		if err != nil {
			return nil
		}
		junction := d.Type()&fs.ModeIrregular != 0
		if d.Type()&fs.ModeSymlink == 0 && !junction {
			return nil
		}
		target := pathid.Resolve(p)
		for i, x := range pr.items {
			if !write && x.Access != config.NoAccess {
				continue
			}
			for _, a := range pr.aliases[i] {
				_, in := pathid.Within(a, target)    // the link leads to a folder holding it
				_, under := pathid.Within(target, a) // or into it
				if in || under {
					link, hit = p, x
					return filepath.SkipAll
				}
			}
		}
		if junction && d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	return link, hit, link != ""
}
