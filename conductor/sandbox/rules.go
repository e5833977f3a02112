package sandbox

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/packages"
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

// fillRules lists what the kernel lets the sandbox touch: what Deno needs to
// run, plus exactly the paths the administrator granted, carved around the
// conductor's own files.
func fillRules(spec *LaunchSpec, p config.Policy, g config.Grants, protected []string, deno string, own []string, denoDir string) {
	spec.ReadDirs = []string{"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ssl", "/etc/ca-certificates", "/etc/ld.so.conf.d", denoDir}
	spec.ReadFiles = append([]string{deno}, own...)
	spec.ReadFiles = append(spec.ReadFiles, "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime",
		"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/dev/urandom", "/dev/random")
	spec.RWFiles = []string{"/dev/null", "/dev/zero"}
	// The kernel never grants /proc: other processes' environments (the
	// conductor's included) live there.
	protectedKernel := append(append([]string(nil), protected...), "/proc")
	addCarved := func(roots []string, write bool) {
		for _, root := range roots {
			for _, x := range carve(root, protectedKernel) {
				st, err := os.Stat(x)
				if err != nil {
					continue
				}
				switch {
				case st.IsDir() && write:
					spec.RWDirs = append(spec.RWDirs, x)
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
	read, write := g.Read, g.Write
	if g.ReadAll || g.All {
		read = []string{"/"}
	}
	if g.WriteAll || g.All {
		write = []string{"/"}
	}
	addCarved(read, false)
	addCarved(write, true)
	spec.NoNet = !g.Net && !g.All
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

// childEnv is the sandbox's entire environment: nothing of the server's,
// except variables the administrator granted by name with allow-env.
func childEnv(p config.Policy, denoDir string) []string {
	vars := []string{
		"DENO_DIR=" + denoDir,
		"DENO_NO_UPDATE_CHECK=1",
		"DENO_NO_PACKAGE_JSON=1",
		"NO_COLOR=1",
		"PATH=/usr/local/bin:/usr/bin:/bin",
	}
	if p.JSRURL != "" {
		vars = append(vars, config.EnvJSRURL+"="+p.JSRURL)
	}
	for _, f := range p.Flags {
		if f.Name != "allow-env" {
			continue
		}
		for _, name := range f.Values {
			if strings.ContainsAny(name, "*=") {
				continue
			}
			if v, ok := os.LookupEnv(name); ok {
				vars = append(vars, name+"="+v)
			}
		}
	}
	return vars
}
