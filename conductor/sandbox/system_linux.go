package sandbox

// What Deno (and, with allow-run, the programs it starts) needs to read on
// Linux: libraries, programs, time zones, name resolution and the public
// certificate stores. Private keys (/etc/ssl/private, /etc/pki/tls/private)
// are deliberately absent.
var (
	systemReadDirs = []string{"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ssl/certs", "/etc/ca-certificates",
		"/etc/pki/tls/certs", "/etc/pki/ca-trust/extracted", "/etc/ld.so.conf.d"}
	systemReadFiles = []string{"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/resolv.conf", "/etc/hosts",
		"/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/ssl/openssl.cnf", "/dev/urandom", "/dev/random"}
	systemRWFiles = []string{"/dev/null", "/dev/zero"}
)

// carvesGrants: Landlock can only allow, so grants holding a protected
// place are granted entry by entry around it.
const carvesGrants = true
