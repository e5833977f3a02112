package sandbox

// What Deno (and, with allow-run, the programs it starts) needs to read on
// macOS: the system's libraries and frameworks (the dyld shared cache
// included), programs, time zones, name resolution and the public
// certificates. Seatbelt matches resolved paths, so /etc and /var are
// spelled under /private.
var (
	systemReadDirs = []string{"/usr/lib", "/usr/share", "/usr/bin", "/bin", "/System/Library", "/System/Volumes/Preboot/Cryptexes",
		"/Library/Apple/System/Library", "/private/var/db/dyld", "/private/var/db/timezone", "/private/etc/ssl"}
	systemReadFiles = []string{"/private/etc/localtime", "/private/etc/resolv.conf", "/private/etc/hosts", "/private/etc/services",
		"/private/etc/protocols", "/dev/urandom", "/dev/random", "/dev/autofs_nowait"}
	systemRWFiles = []string{"/dev/null", "/dev/zero", "/dev/dtracehelper"}
)

// carvesGrants is false: Seatbelt excludes protected places from a grant
// itself (require-not), so grants stay whole.
const carvesGrants = false
