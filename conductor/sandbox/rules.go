package sandbox

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/packages"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// importMapFor pins every allowlisted package: "npm:axios", "axios" and their
// subpaths resolve to the administrator's version. Other specifiers are not
// mapped, and with --cached-only nothing outside the cache can load.
func importMapFor(al packages.Allowlist) []byte {
	imports := map[string]string{}
	for _, s := range al.Entries() {
		pinned := s.String()
		bare := packages.Spec{Registry: s.Registry, Name: s.Name}.String()
		imports[bare] = pinned
		imports[bare+"/"] = pinned + "/"
		if s.Registry == packages.NPM {
			imports[s.Name] = pinned
			imports[s.Name+"/"] = pinned + "/"
		}
	}
	b, _ := json.MarshalIndent(map[string]any{"imports": imports}, "", "  ")
	return b
}

// systemReadDirs and systemReadFiles are what Deno (and, with allow-run,
// the programs it starts) need to run: libraries, programs, time zones,
// name resolution and the public certificate stores. Private keys
// (/etc/ssl/private, /etc/pki/tls/private) are deliberately absent.
var (
	systemReadDirs = []string{"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ssl/certs", "/etc/ca-certificates",
		"/etc/pki/tls/certs", "/etc/pki/ca-trust/extracted", "/etc/ld.so.conf.d"}
	systemReadFiles = []string{"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/resolv.conf", "/etc/hosts",
		"/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/ssl/openssl.cnf", "/dev/urandom", "/dev/random"}
)

// fillRules lists what the kernel lets the sandbox touch: what Deno needs to
// run, plus exactly the paths the administrator granted, each resolved and
// carved around the protected places it holds (by what they lead to).
func fillRules(spec *LaunchSpec, pr protection, reads, writes []string, g config.Grants, deno string, own []string, denoDir string) {
	spec.ReadDirs = append(append([]string(nil), systemReadDirs...), denoDir)
	spec.ReadFiles = append(append([]string{deno}, own...), systemReadFiles...)
	spec.RWFiles = []string{"/dev/null", "/dev/zero"}
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
	spec.NoNet = !g.Has(config.PermNet)
	spec.Sys = g.Has(config.PermSys)
}

func hasJSR(al packages.Allowlist) bool {
	for _, s := range al.Entries() {
		if s.Registry == packages.JSR {
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
// process): nothing of the server's, except variables the administrator
// granted by name with allow-env, read through getenv.
func childEnv(p config.Policy, getenv func(string) string) []string {
	vars := []string{
		"DENO_NO_UPDATE_CHECK=1",
		"DENO_NO_PACKAGE_JSON=1",
		"NO_COLOR=1",
		"PATH=/usr/local/bin:/usr/bin:/bin",
	}
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
