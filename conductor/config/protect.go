package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// Access is what sandboxed code may never do to a protected path.
type Access int

// The kinds of protection.
const (
	// NoWrite: code may read it (Deno's loader reads the package cache, for
	// example) but never change it.
	NoWrite Access = iota + 1
	// NoAccess: code may neither read nor change it.
	NoAccess
)

// Protected is one of the conductor's own files or folders: what the
// conductor later reads as configuration or runs as code, or keeps secret.
// Sandboxed code must never change it, and for NoAccess never read it,
// whatever the administrator's grants say.
type Protected struct {
	Path   string // as the conductor names it
	Access Access
	What   string // what it is, for messages: "the MCP servers file"
	// Program marks a program the conductor runs (Deno, an upstream server)
	// rather than one of its own files.
	Program bool
}

// Aliases are the spellings Path is known under: as named, and resolved.
func (p Protected) Aliases() []string { return pathid.Aliases(p.Path) }

// homeEntry is one of the conductor's own files in its home folder.
type homeEntry struct {
	name   string
	access Access
	what   string
}

// homeEntries are the conductor's own files in its home folder.
var homeEntries = []homeEntry{
	{"settings.json", NoAccess, "the settings file"},
	{"settings.json.bak", NoAccess, "the settings file's backup"},
	{"mcp-config.json", NoAccess, "the MCP servers file"},
	{"http-token", NoAccess, "the HTTP endpoint's token"},
	{"approval.sock", NoAccess, "the desktop app's approval socket"},
	{"approval-key", NoAccess, "the desktop app's approval key"},
	{"logs", NoAccess, "the audit log folder"},
	{"sandbox", NoAccess, "the sandbox's bootstrap folder"},
	{"bin", NoAccess, "the launcher MCP clients start"},
	{"runtime", NoAccess, "the installed Deno runtime"},
	{"backups", NoAccess, "the backups of edited files"},
	{"cache", NoWrite, "the package cache"},
	// Code imports skills: the sandbox is given read access to exactly the
	// skill files, never write access to the folder.
	{"skills", NoWrite, "the skills folder"},
}

// Protected lists the conductor's files and folders under this policy: every
// entry of the home folder but the workspace (the whole home when the
// workspace lies outside it), the settings and MCP servers files wherever
// they are, the Deno binary the administrator named, and the conductor's own
// executable (which it copies to the launcher). Callers compare these by
// what they resolve to (package pathid), never by spelling.
func (p Policy) Protected() []Protected {
	var keep []Protected
	for _, x := range p.protectedAll() {
		if _, holds := pathid.Within(p.Workspace, x.Path); !holds {
			keep = append(keep, x)
		}
	}
	return keep
}

// protectedAll is Protected before the workspace is exempted.
func (p Policy) protectedAll() []Protected {
	var out []Protected
	add := func(path string, a Access, what string) {
		path = filepath.Clean(path)
		for i, x := range out {
			if x.Path == path {
				out[i].Access = max(x.Access, a)
				return
			}
		}
		out = append(out, Protected{Path: path, Access: a, What: what})
	}
	program := func(path string, a Access, what string) {
		add(path, a, what)
		for i := range out {
			if out[i].Path == filepath.Clean(path) {
				out[i].Program = true
			}
		}
	}
	if _, inside := pathid.Within(p.Workspace, p.Home); !inside {
		add(p.Home, NoAccess, "the conductor's folder")
	}
	for _, e := range homeEntries {
		add(filepath.Join(p.Home, e.name), e.access, e.what)
	}
	if entries, err := os.ReadDir(p.Home); err == nil {
		for _, e := range entries {
			// Anything else in the home is protected too, but for the
			// workspace and what holds it. The entries listed above keep
			// their own protection (the package cache stays readable).
			if slices.ContainsFunc(homeEntries, func(h homeEntry) bool { return h.name == e.Name() }) {
				continue
			}
			entry := filepath.Join(p.Home, e.Name())
			if _, holds := pathid.Within(p.Workspace, entry); !holds {
				add(entry, NoAccess, "a file of the conductor's folder")
			}
		}
	}
	add(p.MCPConfig, NoAccess, "the MCP servers file")
	add(SettingsPath(p.Home), NoAccess, "the settings file")
	if p.Deno != "" {
		program(p.Deno, NoAccess, "the Deno binary")
	}
	if exe, err := os.Executable(); err == nil {
		program(exe, NoWrite, "the conductor's program")
	}
	return out
}

// checkGrantsAgainstProtected refuses grants that name a protected path or
// a place inside one, and a workspace inside one: the conductor would have
// to drop such a grant, and a grant that silently does nothing misleads.
// Grants that merely contain a protected path are fine: the protected path
// is carved out of them (see package sandbox).
func (p Policy) checkGrantsAgainstProtected() error {
	src := SettingsPath(p.Home) + ": permissions"
	if slices.Contains(p.FromEnv, EnvRunArgs) {
		src = EnvRunArgs
	}
	// The workspace is the sandbox's own: the home may hold it (and is then
	// protected entry by entry), nothing else of the conductor's may.
	for _, x := range p.protectedAll() {
		if x.Path == p.Home {
			continue
		}
		if _, in := pathid.Within(p.Workspace, x.Path); in {
			return fmt.Errorf("workspace %s lies inside %s (%s), which sandboxed code may never change; choose another workspace", p.Workspace, x.What, x.Path)
		}
	}
	prot := p.Protected()
	for _, k := range []Permission{PermRead, PermWrite, PermFFI} {
		for _, g := range p.Grants.Allow.Grant(k).List {
			for _, x := range prot {
				if x.Access == NoWrite && k != PermWrite {
					continue
				}
				if _, in := pathid.Within(g, x.Path); in {
					verb := "read or change"
					if x.Access == NoWrite {
						verb = "change"
					}
					return fmt.Errorf("%s: allow-%s=%s lies inside %s (%s), which sandboxed code may never %s; grant another folder", src, k, g, x.What, x.Path, verb)
				}
			}
		}
	}
	return nil
}
