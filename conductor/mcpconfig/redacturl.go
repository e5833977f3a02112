package mcpconfig

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// hidden replaces each part of a URL that RedactURL masks.
const hidden = "REDACTED"

// urlParts is a URL split as net/url splits an http URL, but on its text as
// written, so that nothing is re-encoded on the way back.
type urlParts struct {
	prefix   string // scheme and "://"
	userinfo string // before '@'; hasUser says whether there was an '@'
	hostPath string // host, port and path
	query    []string
	fragment string

	hasUser, hasQuery, hasFragment bool
}

func splitURL(raw string) urlParts {
	var p urlParts
	rest := raw
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, p.fragment, p.hasFragment = rest[:i], rest[i+1:], true
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, p.query, p.hasQuery = rest[:i], strings.Split(rest[i+1:], "&"), true
	}
	if i := strings.Index(rest, "://"); i >= 0 {
		p.prefix, rest = rest[:i+3], rest[i+3:]
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		p.userinfo, authority, p.hasUser = authority[:i], authority[i+1:], true
	}
	p.hostPath = authority + path
	return p
}

func (p urlParts) String() string {
	var b strings.Builder
	b.WriteString(p.prefix)
	if p.hasUser {
		b.WriteString(p.userinfo + "@")
	}
	b.WriteString(p.hostPath)
	if p.hasQuery {
		b.WriteString("?" + strings.Join(p.query, "&"))
	}
	if p.hasFragment {
		b.WriteString("#" + p.fragment)
	}
	return b.String()
}

// queryParam splits one "key=value" of a query; a part without '=' is all
// value (a bare token is as secret as any value).
func queryParam(part string) (key, value string, hasKey bool) {
	if k, v, ok := strings.Cut(part, "="); ok {
		return k, v, true
	}
	return "", part, false
}

// isReference reports whether v is made only of ${env:NAME} references,
// which name a secret without being one.
func isReference(v string) bool {
	return v != "" && placeholderRe().ReplaceAllString(v, "") == ""
}

func mask(v string) string {
	if v == "" || isReference(v) {
		return v
	}
	return hidden
}

// RedactURL renders a URL for people: the user name, password, fragment
// and every query value are replaced by REDACTED; query keys, host and path
// are kept. Parts made only of ${env:NAME} references are shown.
func RedactURL(raw string) string {
	p := splitURL(raw)
	if p.hasUser {
		user, pass, hasPass := strings.Cut(p.userinfo, ":")
		p.userinfo = mask(user)
		if hasPass {
			p.userinfo += ":" + mask(pass)
		}
	}
	q := make([]string, len(p.query))
	for i, part := range p.query {
		if k, v, hasKey := queryParam(part); hasKey {
			q[i] = k + "=" + mask(v)
		} else {
			q[i] = mask(v)
		}
	}
	p.query = q
	if p.hasFragment {
		p.fragment = mask(p.fragment)
	}
	return p.String()
}

// RestoreURL undoes RedactURL for an edit: every part of edited that still
// reads REDACTED takes the value of the same part of stored (the same query
// key, counted in order). It is an error if stored has no such part.
func RestoreURL(edited, stored string) (string, error) {
	if edited == RedactURL(stored) {
		return stored, nil
	}
	e, s := splitURL(edited), splitURL(stored)
	if e.hasUser {
		user, pass, hasPass := strings.Cut(e.userinfo, ":")
		oldUser, oldPass, oldHasPass := strings.Cut(s.userinfo, ":")
		if user == hidden {
			if !s.hasUser {
				return "", fmt.Errorf("url: the user name has no stored value; type it")
			}
			user = oldUser
		}
		if hasPass && pass == hidden {
			if !oldHasPass {
				return "", fmt.Errorf("url: the password has no stored value; type it")
			}
			pass = oldPass
		}
		e.userinfo = user
		if hasPass {
			e.userinfo += ":" + pass
		}
	}
	// The n-th value of a key (or n-th bare value) is the stored n-th one.
	storedValues := map[string][]string{}
	for _, part := range s.query {
		k, v, hasKey := queryParam(part)
		if !hasKey {
			k = "\x00bare"
		}
		storedValues[k] = append(storedValues[k], v)
	}
	seen := map[string]int{}
	for i, part := range e.query {
		k, v, hasKey := queryParam(part)
		id := k
		if !hasKey {
			id = "\x00bare"
		}
		n := seen[id]
		seen[id]++
		if v != hidden {
			continue
		}
		if n >= len(storedValues[id]) {
			if hasKey {
				return "", fmt.Errorf("url: the value of %q has no stored value; type it", k)
			}
			return "", fmt.Errorf("url: a hidden query value has no stored value; type it")
		}
		if hasKey {
			e.query[i] = k + "=" + storedValues[id][n]
		} else {
			e.query[i] = storedValues[id][n]
		}
	}
	if e.hasFragment && e.fragment == hidden {
		if !s.hasFragment {
			return "", fmt.Errorf("url: the fragment has no stored value; type it")
		}
		e.fragment = s.fragment
	}
	return e.String(), nil
}

// URLSecrets returns a URL's user name, password, fragment and query values,
// as written and decoded.
func URLSecrets(raw string) []string {
	p := splitURL(raw)
	var out []string
	add := func(v string) {
		if v == "" || isReference(v) {
			return
		}
		out = append(out, v)
		if d, err := url.QueryUnescape(v); err == nil {
			out = append(out, d)
		}
		if d, err := url.PathUnescape(v); err == nil {
			out = append(out, d)
		}
	}
	if p.hasUser {
		user, pass, _ := strings.Cut(p.userinfo, ":")
		add(p.userinfo)
		add(user)
		add(pass)
		// What net/http sends in Authorization for a URL with a user.
		du, _ := url.PathUnescape(user)
		dp, _ := url.PathUnescape(pass)
		basic := base64.StdEncoding.EncodeToString([]byte(du + ":" + dp))
		out = append(out, basic, "Basic "+basic)
	}
	for _, part := range p.query {
		_, v, _ := queryParam(part)
		add(v)
	}
	if p.hasFragment {
		add(p.fragment)
	}
	return out
}
