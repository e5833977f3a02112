package proxy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

// Redacted replaces every occurrence of a secret in what the proxy passes
// on: results and errors given to sandboxed code, list_mcp_servers,
// get_tool_details and the log.
const Redacted = "[REDACTED]"

// minSecretLen is the shortest secret that is scrubbed. Replacing every
// "on" or "123" in every result would mangle ordinary output, and a secret
// that short can be guessed anyway.
const minSecretLen = 4

// The conductor's secrets are the strings it holds for the upstreams and
// the sandboxed code must never see:
//   - every value a ${env:NAME} placeholder expanded to, in env and headers;
//   - the whole value of a header or env variable whose name looks secret
//     (see secretName) and, for headers, the credentials after the scheme
//     ("Bearer x", "Basic base64(user:password)") and each cookie value;
//   - a URL's user name, password, fragment and every query value, and the
//     Basic credentials net/http derives from the user name and password.
//
// The URLs of the conductor's own environment that upstreams inherit
// (HTTPS_PROXY=http://user:pw@proxy) count too.

// configSecrets returns the secrets an entry's own text holds; the values
// of its placeholders are collected while it is expanded.
func configSecrets(sc mcpconfig.Server) []string {
	var out []string
	for name, v := range sc.Headers {
		if secretName(name) {
			out = append(out, headerSecrets(name, v)...)
		}
	}
	for name, v := range sc.Env {
		if secretName(name) {
			out = append(out, v)
		}
	}
	if sc.URL != "" {
		out = append(out, mcpconfig.URLSecrets(sc.URL)...)
	}
	return out
}

// secretName reports whether a header or variable name looks like it holds
// a credential.
func secretName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"auth", "cookie", "token", "key", "secret", "password", "passwd", "credential"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func headerSecrets(name, v string) []string {
	out := []string{v}
	if scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
		cred = strings.TrimSpace(cred)
		out = append(out, cred)
		if strings.EqualFold(scheme, "basic") {
			out = append(out, basicSecrets(cred)...)
		}
	}
	if strings.Contains(strings.ToLower(name), "cookie") {
		for _, c := range strings.Split(v, ";") {
			if _, val, ok := strings.Cut(c, "="); ok {
				out = append(out, strings.TrimSpace(val))
			}
		}
	}
	return out
}

// basicSecrets decodes Basic credentials into user name and password.
func basicSecrets(cred string) []string {
	b, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return nil
	}
	user, pass, _ := strings.Cut(string(b), ":")
	return []string{string(b), user, pass}
}

// envURLSecrets returns the URL secrets of KEY=VALUE entries whose value
// is a URL (proxy settings with credentials, a registry with a token).
func envURLSecrets(env []string) []string {
	var out []string
	for _, kv := range env {
		if _, v, ok := strings.Cut(kv, "="); ok && strings.Contains(v, "://") {
			out = append(out, mcpconfig.URLSecrets(v)...)
		}
	}
	return out
}

// secretSet is an immutable set of secrets, with the forms in which they
// appear inside JSON and URL text. The nil set holds nothing.
type secretSet struct {
	list []string // longest first
}

// with returns a set holding s's secrets and more.
func (s *secretSet) with(more ...string) *secretSet {
	var all []string
	if s != nil {
		all = append(all, s.list...)
	}
	for _, v := range more {
		all = append(all, variants(v)...)
	}
	all = slices.DeleteFunc(all, func(v string) bool {
		// A secret inside the marker would be found again in every result.
		return len(v) < minSecretLen || strings.Contains(Redacted, v)
	})
	slices.SortFunc(all, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return &secretSet{list: slices.Compact(all)}
}

// variants returns v and the forms it takes escaped in a JSON string
// (with and without HTML escaping) and in a URL.
func variants(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(v) == nil {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(b.String()), `"`), `"`))
		}
	}
	return out
}

func (s *secretSet) empty() bool { return s == nil || len(s.list) == 0 }
