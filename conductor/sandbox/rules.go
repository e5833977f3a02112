package sandbox

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// importMapFor pins every allowlisted package: "npm:axios", "axios" and their
// subpaths resolve to the administrator's version. Other specifiers are not
// mapped, and with --cached-only nothing outside the cache can load.
func importMapFor(al allowlist.List, sk []skills.File) []byte {
	imports := map[string]string{}
	for _, f := range sk {
		// Exact entries, no "skills/" prefix: only saved skills resolve,
		// and nothing in the folder resolves by another spelling.
		imports[skills.Prefix+f.Name] = fileURL(f.Path)
	}
	for _, s := range al.Entries() {
		pinned := s.String()
		bare := allowlist.Spec{Registry: s.Registry, Name: s.Name}.String()
		imports[bare] = pinned
		imports[bare+"/"] = pinned + "/"
		if s.Registry == allowlist.NPM {
			imports[s.Name] = pinned
			imports[s.Name+"/"] = pinned + "/"
		}
	}
	b, _ := json.MarshalIndent(map[string]any{"imports": imports}, "", "  ")
	return b
}

// fillRules lists what the kernel lets the sandbox touch: what Deno needs to
// run (systemReadDirs, systemReadFiles of this platform), plus exactly the
// paths the administrator granted, resolved. For Landlock, which can only
// allow, each grant is carved around the protected places it holds (by what
// they lead to); for Seatbelt, which can exclude, the grants stay whole and
// the protected places are listed to exclude (NoRead, NoWrite).
func fillRules(spec *LaunchSpec, pr protection, reads, writes []string, g config.Grants, deno string, own []string, denoDir string) {
	spec.ReadDirs = append(append([]string(nil), systemReadDirs...), denoDir)
	spec.ReadFiles = append(append([]string{deno}, own...), systemReadFiles...)
	spec.RWFiles = append([]string(nil), systemRWFiles...)
	spec.NoRead, spec.NoWrite = resolvedAll(pr.deny(false)), resolvedAll(pr.deny(true))
	spec.ReadRoots, spec.WriteRoots = resolvedAll(reads), resolvedAll(writes)
	spec.Exec = append([]string{pathid.Resolve(deno)}, execPaths(g.Allow.Run.List, childPath)...)
	spec.ExecAll = g.Everything(config.PermRun)
	spec.Run = g.Has(config.PermRun)
	spec.NoNet = !g.Has(config.PermNet)
	spec.Sys = g.Has(config.PermSys)
	if !carvesGrants {
		return
	}
	addCarved := func(roots []string, write bool) {
		for _, root := range roots {
			places, whole := pr.inside(root, write)
			if _, inProc := pathid.Within(root, "/proc"); whole || inProc {
				continue
			}
			// The kernel never grants /proc: other processes' environments
			// (the conductor's included) live there.
			if _, in := pathid.Within("/proc", root); in {
				places = append(places, filepath.Join(pathid.Resolve(root), "proc"))
			}
			for _, x := range carve(pathid.Resolve(root), places) {
				st, err := os.Stat(x)
				if err != nil {
					continue
				}
				switch {
				case st.IsDir() && write:
					spec.GrantedRWDirs = append(spec.GrantedRWDirs, x)
				case st.IsDir():
					spec.ReadDirs = append(spec.ReadDirs, x)
				case write:
					spec.RWFiles = append(spec.RWFiles, x)
				default:
					spec.ReadFiles = append(spec.ReadFiles, x)
				}
			}
		}
	}
	addCarved(reads, false)
	addCarved(writes, true)
}

// resolvedAll resolves each path (package pathid), keeping the order and
// dropping repeats.
func resolvedAll(paths []string) []string {
	var out []string
	for _, p := range paths {
		if !strings.ContainsAny(p, `/\`) { // a program name, not a path
			continue
		}
		if r := pathid.Resolve(p); !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func hasJSR(al allowlist.List) bool {
	for _, s := range al.Entries() {
		if s.Registry == allowlist.JSR {
			return true
		}
	}
	return false
}

// jsrHost is the host:port Deno loads JSR modules from.
func jsrHost(jsrURL string) string {
	if jsrURL == "" {
		return "jsr.io:443"
	}
	u, err := url.Parse(jsrURL)
	if err != nil {
		return "jsr.io:443"
	}
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "http" {
		return u.Hostname() + ":80"
	}
	return u.Hostname() + ":443"
}

// childEnv is the sandbox's environment (DENO_DIR and TMPDIR are added per
// process). Of the server's environment, read through getenv, it passes
// only the npm registry's address (npmRegistryVars, so Deno finds the
// packages the install step cached under that registry's host) and the
// variables the administrator granted by name with allow-env.
func childEnv(p config.Policy, getenv func(string) string) []string {
	vars := []string{
		"DENO_NO_UPDATE_CHECK=1",
		"DENO_NO_PACKAGE_JSON=1",
		// Deno keeps the JavaScript it transpiled from TypeScript (a skill,
		// a JSR module) in DENO_DIR. The shared cache is read-only to a
		// confined process, and Deno retries a failed write for about
		// 150 ms before giving up, on every such module; a private one is
		// gone with its process. Transpiling again takes a millisecond.
		"DENO_EMIT_CACHE_MODE=disable",
		"NO_COLOR=1",
		"PATH=" + strings.Join(childPath, string(os.PathListSeparator)),
	}
	vars = append(vars, platformVars...)
	if p.JSRURL != "" {
		vars = append(vars, config.EnvJSRURL+"="+p.JSRURL)
	}
	for _, k := range npmRegistryVars {
		if v := getenv(k); v != "" {
			vars = append(vars, k+"="+v)
		}
	}
	for _, name := range p.Grants.Allow.Env.List {
		if strings.ContainsAny(name, "*=") {
			continue
		}
		if v := getenv(name); v != "" {
			vars = append(vars, name+"="+v)
		}
	}
	return vars
}
