package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// seatbeltProfile renders spec as a Seatbelt profile (SBPL) for macOS's
// sandbox-exec, the kernel layer Chromium, Codex CLI and Anthropic's
// sandbox-runtime use there. It denies by default, then allows what Deno
// needs to run plus exactly the grants, at their resolved paths (Seatbelt
// matches the paths files really have: /private/tmp, not /tmp), each with
// the protected places excluded (require-not); no network without
// allow-net; no program but Deno without allow-run. It is plain text built
// from data, so it is tested as data on every platform (testdata/seatbelt).
func seatbeltProfile(spec LaunchSpec) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("(version 1)\n(deny default)\n\n")
	w("; Processes: Deno itself, and with allow-run the programs granted.\n")
	if spec.ExecAll {
		w("(allow process-exec)\n")
	} else {
		w("(allow process-exec%s)\n", filters("literal", spec.Exec))
	}
	if spec.Run {
		w("(allow process-fork)\n")
	}
	w("(allow signal (target same-sandbox))\n(allow process-info* (target same-sandbox))\n\n")

	w("; What the runtime asks of the system (as in Chromium's and Codex's profiles).\n")
	w("(allow sysctl-read)\n(allow mach-host*)\n(allow ipc-posix-shm-read-data ipc-posix-shm-write-data (ipc-posix-name-prefix \"apple.shm.notification_center\"))\n")
	w("(allow mach-lookup (global-name \"com.apple.system.opendirectoryd.libinfo\") (global-name \"com.apple.system.notification_center\") (global-name \"com.apple.trustd.agent\") (global-name \"com.apple.SecurityServer\"))\n")
	w("; Metadata only (existence, size, times), which Landlock does not govern either.\n")
	w("(allow file-read-metadata)\n\n")

	w("; Reading what Deno needs: the system, Deno, the package cache, the conductor's files it runs.\n")
	w("(allow file-read*%s%s)\n", filters("subpath", append(append([]string(nil), spec.ReadDirs...), spec.RWDirs...)),
		filters("literal", append(append([]string(nil), spec.ReadFiles...), spec.RWFiles...)))
	if grants := append(append([]string(nil), spec.ReadRoots...), spec.WriteRoots...); len(grants) > 0 {
		w("; Reading the grants; never a protected place.\n")
		w("(allow file-read*\n  (require-all\n    (require-any%s)%s))\n", filters("subpath", grants), excluded(spec.NoRead))
	}
	w("\n")

	w("; Writing: the process's private folder and the write grants; never a protected place.\n")
	writes := append(append([]string(nil), spec.RWDirs...), spec.WriteRoots...)
	if len(writes) > 0 {
		w("(allow file-write*\n  (require-all\n    (require-any%s)%s))\n", filters("subpath", writes), excluded(spec.NoWrite))
	}
	w("(allow file-write-data file-ioctl%s)\n\n", filters("literal", spec.RWFiles))

	w("; Network.\n")
	if spec.NoNet {
		w("; none: allow-net is not granted\n")
	} else {
		w("(allow network-outbound (remote ip))\n(allow network-inbound (local ip))\n(allow network-bind (local ip))\n(allow system-socket)\n")
		w("(allow mach-lookup (global-name \"com.apple.dnssd.service\") (global-name \"com.apple.SystemConfiguration.configd\"))\n")
	}
	w("; No unix socket connects (Seatbelt could confine them by path; like Landlock below ABI 9, they are refused).\n")
	return b.String()
}

// filters renders one SBPL filter per path: ` (subpath "/a") (subpath "/b")`.
func filters(kind string, paths []string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, p := range paths {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		b.WriteString(" (" + kind + " " + sbplString(p) + ")")
	}
	return b.String()
}

// excluded renders the protected places a rule must not match.
func excluded(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	return "\n    (require-not (require-any" + filters("subpath", paths) + "))"
}

// sbplString quotes s as an SBPL string literal.
func sbplString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// execPaths resolves the programs allow-run names to the files the kernel
// sees: paths as they resolve, names as found on the sandbox's PATH.
func execPaths(list []string, path []string) []string {
	var out []string
	for _, v := range list {
		var p string
		if strings.ContainsAny(v, `/\`) {
			p = v
		} else {
			for _, dir := range path {
				if st, err := os.Stat(filepath.Join(dir, v)); err == nil && !st.IsDir() {
					p = filepath.Join(dir, v)
					break
				}
			}
		}
		if p == "" {
			continue
		}
		if r := resolvedAll([]string{p}); len(r) == 1 && !slices.Contains(out, r[0]) {
			out = append(out, r[0])
		}
	}
	return out
}
