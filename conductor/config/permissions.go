package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Flag is one Deno permission flag, such as allow-read=/a,/b.
type Flag struct {
	Name     string   // "allow-read", "deny-net", ...
	Values   []string // empty when the flag has no "=" part
	HasValue bool
}

// Arg renders the flag for Deno's command line.
func (f Flag) Arg() string {
	if !f.HasValue {
		return "--" + f.Name
	}
	return "--" + f.Name + "=" + strings.Join(f.Values, ",")
}

// knownFlags are the Deno permission flags an administrator may set.
var knownFlags = map[string]bool{
	"allow-all": true, "allow-read": true, "allow-write": true, "allow-net": true,
	"allow-env": true, "allow-run": true, "allow-ffi": true, "allow-sys": true,
	"allow-import": true,
	"deny-read":    true, "deny-write": true, "deny-net": true, "deny-env": true,
	"deny-run": true, "deny-ffi": true, "deny-sys": true, "deny-import": true,
}

// pathFlags take file-system paths as values.
var pathFlags = map[string]bool{"allow-read": true, "allow-write": true, "deny-read": true, "deny-write": true, "allow-ffi": true, "deny-ffi": true}

// ParseRunArgs parses MCP_CONDUCTOR_RUN_ARGS: Deno permission flags without
// the leading "--", separated by ";" (or newlines). The comma form of the
// original README, "allow-read=/a,allow-write=/a", is accepted too: a comma
// starts a new flag only when what follows names a flag, so
// "allow-net=a.com,b.com" keeps both hosts. Relative paths are resolved
// against base; "~/" against the user's home.
func ParseRunArgs(s, base string) ([]Flag, error) {
	var flags []Flag
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
				f := Flag{Name: name, HasValue: hasVal}
				if hasVal && val != "" {
					f.Values = []string{val}
				}
				flags = append(flags, f)
				continue
			}
			if strings.HasPrefix(tok, "-") || strings.HasPrefix(name, "allow-") || strings.HasPrefix(name, "deny-") || len(flags) == 0 {
				return nil, fmt.Errorf("unknown permission flag %q (known: allow-/deny- read, write, net, env, run, ffi, sys, import)", tok)
			}
			last := &flags[len(flags)-1]
			if !last.HasValue {
				return nil, fmt.Errorf("%q follows --%s, which takes no list", tok, last.Name)
			}
			last.Values = append(last.Values, tok)
		}
	}
	for i := range flags {
		f := &flags[i]
		if f.HasValue && len(f.Values) == 0 {
			return nil, fmt.Errorf("--%s= has an empty list", f.Name)
		}
		if f.Name == "allow-all" && f.HasValue {
			return nil, fmt.Errorf("--allow-all takes no value")
		}
		if pathFlags[f.Name] {
			for j, v := range f.Values {
				p, err := absPath(v, base)
				if err != nil {
					return nil, fmt.Errorf("--%s: %w", f.Name, err)
				}
				f.Values[j] = p
			}
		}
	}
	return flags, nil
}

func absPath(p, base string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(h, p[1:])
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p), nil
}

// Grants summarises what the flags allow, for kernel confinement.
type Grants struct {
	ReadAll, WriteAll bool     // allow-read / allow-write without a list
	Read, Write       []string // listed paths
	Net               bool     // any allow-net
	All               bool     // allow-all
}

// GrantsOf summarises flags.
func GrantsOf(flags []Flag) Grants {
	var g Grants
	for _, f := range flags {
		switch f.Name {
		case "allow-all":
			g.All = true
		case "allow-read":
			if f.HasValue {
				g.Read = append(g.Read, f.Values...)
			} else {
				g.ReadAll = true
			}
		case "allow-write":
			if f.HasValue {
				g.Write = append(g.Write, f.Values...)
			} else {
				g.WriteAll = true
			}
		case "allow-net":
			g.Net = true
		}
	}
	return g
}
