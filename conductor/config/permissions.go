package config

import (
	"errors"
	"fmt"
	"strings"
)

// knownFlags are the Deno permission flags an administrator may write in
// MCP_CONDUCTOR_RUN_ARGS.
var knownFlags = func() map[string]bool {
	m := map[string]bool{"allow-all": true}
	for _, k := range AllPermissions {
		m["allow-"+string(k)], m["deny-"+string(k)] = true, true
	}
	return m
}()

// ParseRunArgs parses MCP_CONDUCTOR_RUN_ARGS into typed grants: Deno
// permission flags without the leading "--", separated by ";" (or
// newlines). The comma form of the original README,
// "allow-read=/a,allow-write=/a", is accepted too: a comma starts a new flag
// only when what follows names a flag, so "allow-net=a.com,b.com" keeps both
// hosts. A flag given twice adds to its list. Relative paths are resolved
// against base, "~/" against the user's home. This text is the only place
// where separators are read; every other source of grants is structured.
func ParseRunArgs(s, base string) (Grants, error) {
	type flag struct {
		name     string
		values   []string
		hasValue bool
	}
	var flags []flag
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		for _, tok := range strings.Split(seg, ",") {
			tok = strings.TrimSpace(tok)
			if tok == "" {
				continue
			}
			name, val, hasVal := strings.Cut(strings.TrimLeft(tok, "-"), "=")
			if name == "A" {
				name = "allow-all"
			}
			if knownFlags[name] {
				f := flag{name: name, hasValue: hasVal}
				if hasVal && val != "" {
					f.values = []string{val}
				}
				flags = append(flags, f)
				continue
			}
			if strings.HasPrefix(tok, "-") || strings.HasPrefix(name, "allow-") || strings.HasPrefix(name, "deny-") || len(flags) == 0 {
				return Grants{}, fmt.Errorf("unknown permission flag %q (known: allow-/deny- read, write, net, env, run, ffi, sys, import)", tok)
			}
			last := &flags[len(flags)-1]
			if !last.hasValue {
				return Grants{}, fmt.Errorf("%q follows --%s, which takes no list", tok, last.name)
			}
			last.values = append(last.values, tok)
		}
	}
	var g Grants
	for _, f := range flags {
		if f.hasValue && len(f.values) == 0 {
			return Grants{}, fmt.Errorf("--%s= has an empty list", f.name)
		}
		if f.name == "allow-all" {
			if f.hasValue {
				return Grants{}, fmt.Errorf("--allow-all takes no value")
			}
			g.All = true
			continue
		}
		side, perm, _ := strings.Cut(f.name, "-")
		perms := &g.Allow
		if side == "deny" {
			perms = &g.Deny
		}
		gr := perms.Grant(Permission(perm))
		if !f.hasValue {
			gr.All = true
		}
		gr.List = append(gr.List, f.values...)
	}
	if err := g.normalize(base, func(side string, k Permission, e *grantError) string {
		return fmt.Sprintf("--%s-%s: %s", side, k, e)
	}); err != nil {
		return Grants{}, err
	}
	return g, nil
}

// normalize validates and normalizes every grant in place; name renders an
// error's location (a flag, or a field of the settings file).
func (g *Grants) normalize(base string, name func(side string, k Permission, e *grantError) string) error {
	for _, side := range []struct {
		name  string
		perms *Permissions
	}{{"allow", &g.Allow}, {"deny", &g.Deny}} {
		for _, k := range AllPermissions {
			gr := side.perms.Grant(k)
			n, err := normalize(k, *gr, base)
			var ge *grantError
			if errors.As(err, &ge) {
				return errors.New(name(side.name, k, ge))
			} else if err != nil {
				return err
			}
			*gr = n
		}
	}
	return nil
}
