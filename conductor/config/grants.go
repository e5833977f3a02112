package config

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

// Permission names one of Deno's permissions.
type Permission string

// Deno's permissions, in the order flags are rendered.
const (
	PermRead   Permission = "read"
	PermWrite  Permission = "write"
	PermNet    Permission = "net"
	PermEnv    Permission = "env"
	PermRun    Permission = "run"
	PermFFI    Permission = "ffi"
	PermSys    Permission = "sys"
	PermImport Permission = "import"
)

// AllPermissions lists every permission, in rendering order.
var AllPermissions = []Permission{PermRead, PermWrite, PermNet, PermEnv, PermRun, PermFFI, PermSys, PermImport}

// Grants are the sandbox's permissions as typed values. They come from the
// settings file's structured grants, or from MCP_CONDUCTOR_RUN_ARGS, and go
// to Deno's command line (DenoFlags) and to the kernel layer without ever
// being joined into text and parsed again.
type Grants struct {
	All   bool        // allow-all: every permission (needs MCP_CONDUCTOR_ALLOW_ALL=1)
	Allow Permissions // what is granted
	Deny  Permissions // what is refused inside it (deny-* flags)
}

// Grant returns the grant for k in p.
func (p *Permissions) Grant(k Permission) *Grant {
	switch k {
	case PermRead:
		return &p.Read
	case PermWrite:
		return &p.Write
	case PermNet:
		return &p.Net
	case PermEnv:
		return &p.Env
	case PermRun:
		return &p.Run
	case PermFFI:
		return &p.FFI
	case PermSys:
		return &p.Sys
	case PermImport:
		return &p.Import
	}
	panic("config: unknown permission " + string(k))
}

// IsZero reports whether g grants nothing.
func (g Grant) IsZero() bool { return !g.All && len(g.List) == 0 }

// Has reports whether any of k is granted.
func (g Grants) Has(k Permission) bool { return g.All || !g.Allow.Grant(k).IsZero() }

// Everything reports whether all of k is granted, without a list.
func (g Grants) Everything(k Permission) bool { return g.All || g.Allow.Grant(k).All }

// IsZero reports whether nothing at all is granted.
func (g Grants) IsZero() bool {
	for _, k := range AllPermissions {
		if g.Has(k) {
			return false
		}
	}
	return true
}

// DenoFlags renders the grants for Deno's command line, one argument each.
// Every value was validated when the policy was built: none holds a comma,
// which is Deno's list separator and cannot be escaped, so Deno reads each
// list back exactly as it is here.
func (g Grants) DenoFlags() []string {
	var out []string
	if g.All {
		out = append(out, "--allow-all")
	}
	for _, side := range []struct {
		prefix string
		perms  Permissions
	}{{"--allow-", g.Allow}, {"--deny-", g.Deny}} {
		for _, k := range AllPermissions {
			gr := side.perms.Grant(k)
			switch {
			case gr.All:
				out = append(out, side.prefix+string(k))
			case len(gr.List) > 0:
				out = append(out, side.prefix+string(k)+"="+strings.Join(gr.List, ","))
			}
		}
	}
	return out
}

// isPathPermission reports whether k takes file-system paths as values.
func isPathPermission(k Permission) bool { return k == PermRead || k == PermWrite || k == PermFFI }

// sysNames are the values Deno accepts for --allow-sys.
var sysNames = map[string]bool{
	"hostname": true, "osRelease": true, "osUptime": true, "loadavg": true, "networkInterfaces": true,
	"systemMemoryInfo": true, "uid": true, "gid": true, "username": true, "cpus": true, "homedir": true,
	"statfs": true, "getPriority": true, "setPriority": true, "userInfo": true, "getegid": true,
}

var (
	envNameRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\*?$`) })
	programRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._+-]+$`) })
	hostnameRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$`)
	})
)

// grantError is a value of a grant that cannot be used.
type grantError struct {
	index  int // position in the list; -1 for the grant as a whole
	value  string
	reason string
}

func (e *grantError) Error() string { return fmt.Sprintf("%q %s", e.value, e.reason) }

// normalize validates g's values for permission k and returns the grant as
// Deno gets it: "all" wins over a list, paths are made absolute (relative
// ones against base, "~/" against the user's home) and joined by their
// resolved form when that differs, duplicates go.
func normalize(k Permission, g Grant, base string) (Grant, error) {
	if g.All {
		return Grant{All: true}, nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for i, v := range g.List {
		if err := checkValue(k, v); err != nil {
			return Grant{}, &grantError{index: i, value: v, reason: err.Error()}
		}
		if isPathPermission(k) || (k == PermRun && strings.ContainsAny(v, `/\`)) {
			p, err := absPath(v, base)
			if err != nil {
				return Grant{}, &grantError{index: i, value: v, reason: err.Error()}
			}
			for _, a := range pathid.Aliases(p) {
				if strings.Contains(a, ",") {
					return Grant{}, &grantError{index: i, value: v, reason: "leads to " + a + ", whose name holds a comma, which Deno's permission flags cannot carry"}
				}
				add(a)
			}
			continue
		}
		add(v)
	}
	return Grant{List: out}, nil
}

// checkValue checks one value of a grant of k.
func checkValue(k Permission, v string) error {
	if v == "" {
		return fmt.Errorf("is empty")
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("holds a control character")
		}
	}
	if strings.Contains(v, ",") {
		return fmt.Errorf("holds a comma, which Deno's permission flags cannot carry (a comma separates two values); rename it or grant the folder above it")
	}
	switch k {
	case PermNet, PermImport:
		return checkHost(v)
	case PermEnv:
		if !envNameRe().MatchString(v) {
			return fmt.Errorf("is not a variable name (letters, digits and _, optionally ending in * for a prefix)")
		}
	case PermSys:
		if !sysNames[v] {
			return fmt.Errorf("is not one of Deno's system APIs (hostname, osRelease, osUptime, loadavg, networkInterfaces, systemMemoryInfo, uid, gid, username, cpus, homedir, statfs, getPriority, setPriority, userInfo, getegid)")
		}
	case PermRun:
		if !strings.ContainsAny(v, `/\`) && !programRe().MatchString(v) {
			return fmt.Errorf("is not a program name or path")
		}
	}
	return nil
}

// checkHost accepts what Deno accepts for --allow-net: a host name
// (optionally "*." for its subdomains), an IPv4 address or a bracketed IPv6
// address, each with an optional port.
func checkHost(v string) error {
	host, port := v, ""
	if h, p, err := net.SplitHostPort(v); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(v, "[") {
		return fmt.Errorf("is not a host: write an IPv6 address as [::1] or [::1]:8080")
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("has port %q; ports are 1 to 65535", port)
		}
	}
	if strings.Contains(v, "[") {
		if ip := net.ParseIP(host); ip == nil || ip.To4() != nil {
			return fmt.Errorf("is not a host: %q is no IPv6 address", host)
		}
		return nil
	}
	if net.ParseIP(host) != nil || hostnameRe().MatchString(host) {
		return nil
	}
	return fmt.Errorf("is not a host name, host:port or IP address")
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
