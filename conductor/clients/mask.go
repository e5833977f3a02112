package clients

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/tailscale/hujson"
)

// Masked replaces a secret in previews and diffs of client files.
const Masked = "••••••"

var (
	// secretName matches the keys and flags whose values are secrets
	// wherever they are (tokens, keys, passwords).
	secretName = regexp.MustCompile(`(?i)passw(or)?d|secret|token|api[_-]?key|apikey|authori[sz]ation|credential|private[_-]?key|bearer|cookie|session`)
	// reference is a value that only names a secret kept elsewhere: an
	// environment variable or an input, as the clients spell them.
	reference = regexp.MustCompile(`^\s*(?i:(bearer|basic|token)\s+)?(\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*|\{env:[^}]+\})\s*$`)
)

// secretContainers hold values that are all secrets, unless a value only
// references one: the environment and the HTTP headers of a server.
var secretContainers = map[string]bool{
	"env": true, "environment": true, "headers": true, "http_headers": true, "env_http_headers": true,
}

// keepValue reports whether the value of name, in a container of secrets,
// may be shown: MCP Conductor's own settings, and references.
func keepValue(name, value string) bool {
	return strings.HasPrefix(name, "MCP_CONDUCTOR_") && !secretName.MatchString(name) || reference.MatchString(value)
}

// MaskArgs returns args with the values of secret-looking flags masked:
// "--token=abc" and "--api-key abc" become "--token=••••••" and
// "--api-key ••••••".
func MaskArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if flag, val, ok := strings.Cut(a, "="); ok && strings.HasPrefix(flag, "-") && secretName.MatchString(flag) && !reference.MatchString(val) {
			out[i] = flag + "=" + Masked
		} else if i > 0 && strings.HasPrefix(args[i-1], "-") && !strings.Contains(args[i-1], "=") &&
			secretName.MatchString(args[i-1]) && !strings.HasPrefix(a, "-") && !reference.MatchString(a) {
			out[i] = Masked
		} else {
			out[i] = maskURL(a)
		}
	}
	return out
}

// maskURL masks the password of a URL with one.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil || u.Host == "" {
		return s
	}
	if _, ok := u.User.Password(); !ok {
		return s
	}
	u.User = url.UserPassword(u.User.Username(), "MASKED")
	return strings.Replace(u.String(), "MASKED", Masked, 1)
}

// maskSecrets returns a client file's text with its secrets masked, for a
// preview: every value of env and headers objects (but references and MCP
// Conductor's own variables), values of secret-looking keys anywhere,
// secret-looking arguments, and URL passwords. The rest of the text is
// kept byte for byte, so a diff of two masked texts shows the same change.
func maskSecrets(path string, data []byte) []byte {
	if len(data) == 0 {
		return data
	}
	if strings.HasSuffix(path, ".toml") {
		return maskTOML(data)
	}
	v, err := hujson.Parse(data)
	if err != nil {
		return maskLines(data) // still shown to the user: mask what looks secret
	}
	maskJSON(&v, false)
	return v.Pack()
}

func maskJSON(v *hujson.Value, inSecrets bool) {
	switch x := v.Value.(type) {
	case *hujson.Object:
		for i := range x.Members {
			m := &x.Members[i]
			name, _ := m.Name.Value.(hujson.Literal)
			key := name.String()
			lit, isLit := m.Value.Value.(hujson.Literal)
			switch {
			case isLit && lit.Kind() == '"' && (inSecrets && !keepValue(key, lit.String()) || !inSecrets && secretName.MatchString(key) && !reference.MatchString(lit.String())):
				m.Value.Value = hujson.String(Masked)
			case isLit && lit.Kind() == '"':
				m.Value.Value = hujson.String(maskURL(lit.String()))
			case key == "args":
				maskJSONArgs(&m.Value)
			default:
				maskJSON(&m.Value, secretContainers[key] || !inSecrets && secretName.MatchString(key))
			}
		}
	case *hujson.Array:
		for i := range x.Elements {
			maskJSON(&x.Elements[i], inSecrets)
		}
	}
}

func maskJSONArgs(v *hujson.Value) {
	arr, ok := v.Value.(*hujson.Array)
	if !ok {
		maskJSON(v, false)
		return
	}
	var args []string
	for _, e := range arr.Elements {
		lit, ok := e.Value.(hujson.Literal)
		if !ok || lit.Kind() != '"' {
			args = append(args, "")
			continue
		}
		args = append(args, lit.String())
	}
	for i, a := range MaskArgs(args) {
		if lit, ok := arr.Elements[i].Value.(hujson.Literal); ok && lit.Kind() == '"' && a != lit.String() {
			arr.Elements[i].Value = hujson.String(a)
		}
	}
}

var (
	tomlHeader = regexp.MustCompile(`^\s*\[+\s*([^\]]+?)\s*\]+`)
	tomlPair   = regexp.MustCompile(`^(\s*)("[^"]*"|[A-Za-z0-9_.-]+)(\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')`)
	tomlInline = regexp.MustCompile(`("[^"]*"|[A-Za-z0-9_-]+)(\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')`)
	tomlTable  = regexp.MustCompile(`^\s*("[^"]*"|[A-Za-z0-9_.-]+)\s*=\s*\{`)
)

// maskTOML masks line by line: key = "value" pairs in [...env] and
// [...headers] tables, or whose key looks secret, and every string of an
// inline env = { ... } table.
func maskTOML(data []byte) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	inSecrets := false
	for i, line := range lines {
		if h := tomlHeader.FindStringSubmatch(line); h != nil {
			parts := strings.Split(h[1], ".")
			inSecrets = secretContainers[strings.Trim(parts[len(parts)-1], `"' `)]
			continue
		}
		if t := tomlTable.FindStringSubmatch(line); t != nil {
			if k := strings.Trim(t[1], `"`); inSecrets || secretContainers[k] || secretName.MatchString(k) {
				lines[i] = maskInline(line)
			}
			continue
		}
		m := tomlPair.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		key := strings.Trim(line[m[4]:m[5]], `"`)
		val := strings.Trim(line[m[8]:m[9]], `"'`)
		if inSecrets && !keepValue(key, val) || secretName.MatchString(key) && !reference.MatchString(val) {
			lines[i] = line[:m[8]] + `"` + Masked + `"` + line[m[9]:]
		}
	}
	return []byte(strings.Join(lines, ""))
}

// maskInline masks the values of an inline table: env = { A = "x" }.
func maskInline(line string) string {
	open := strings.IndexByte(line, '{')
	if open < 0 {
		return line
	}
	head, rest := line[:open], line[open:]
	return head + tomlInline.ReplaceAllStringFunc(rest, func(pair string) string {
		m := tomlInline.FindStringSubmatch(pair)
		if keepValue(strings.Trim(m[1], `"`), strings.Trim(m[3], `"'`)) {
			return pair
		}
		return m[1] + m[2] + `"` + Masked + `"`
	})
}

// maskLines is the fallback for a file that does not parse: "key": "value"
// pairs whose key looks secret are masked.
func maskLines(data []byte) []byte {
	pair := regexp.MustCompile(`("[^"]*")(\s*:\s*)"(?:[^"\\]|\\.)*"`)
	return pair.ReplaceAllFunc(data, func(b []byte) []byte {
		m := pair.FindSubmatch(b)
		if !secretName.Match(m[1]) {
			return b
		}
		return []byte(string(m[1]) + string(m[2]) + `"` + Masked + `"`)
	})
}
