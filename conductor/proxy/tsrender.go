package proxy

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// maxDepth bounds how deep one type's inline structure goes; deeper parts
// are unknown. References start again at the top, in their own type.
const maxDepth = 12

// at is where a schema is being rendered.
type at struct {
	doc    *schemaDoc
	indent int
	depth  int
	top    bool   // at the top of the named type from: not inside an object or array
	from   string // the key of the named type being declared; "" for a signature
}

func (p at) inner() at { p.depth++; return p }

func (p at) nested() at { p.indent++; p.depth++; p.top = false; return p }

// renderNamed renders a named type's body.
func (w *writer) renderNamed(nt namedType) string {
	return w.tsType(nt.schema, at{doc: nt.doc, top: true, from: nt.key})
}

// render renders the schema s of document d, outside any named type.
func (w *writer) render(s any, d *schemaDoc, indent, depth int) string {
	return w.tsType(s, at{doc: d, indent: indent, depth: depth})
}

// tsType renders a JSON Schema as a TypeScript type.
func (w *writer) tsType(s any, p at) string {
	if p.depth > maxDepth {
		return "unknown"
	}
	if b, ok := s.(bool); ok {
		if b {
			return "unknown"
		}
		return "never"
	}
	m, ok := s.(map[string]any)
	if !ok || m == nil {
		return "unknown"
	}
	if ref, ok := m["$ref"].(string); ok {
		return w.ref(p.doc, ref, p.top, p.from)
	}
	if c, ok := m["const"]; ok {
		return literal(c)
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		var parts []string
		for _, v := range e {
			parts = append(parts, literal(v))
		}
		return strings.Join(dedupeStrings(parts), " | ")
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		if alts, ok := m[k].([]any); ok && len(alts) > 0 {
			return w.union(alts, p, " | ")
		}
	}
	if all, ok := m["allOf"].([]any); ok && len(all) > 0 {
		return w.union(all, p, " & ")
	}
	switch t := m["type"].(type) {
	case []any:
		var parts []string
		for _, x := range t {
			sub := maps.Clone(m)
			sub["type"] = x
			parts = append(parts, w.tsType(sub, p.inner()))
		}
		return strings.Join(dedupeStrings(parts), " | ")
	case string:
		switch t {
		case "string":
			return "string"
		case "number", "integer":
			return "number"
		case "boolean":
			return "boolean"
		case "null":
			return "null"
		case "array":
			items, ok := m["items"]
			if !ok {
				return "unknown[]"
			}
			q := p.inner()
			q.top = false
			it := w.tsType(items, q)
			if strings.ContainsAny(it, "|&") && !strings.HasPrefix(it, "{") {
				it = "(" + it + ")"
			}
			return it + "[]"
		case "object":
			return w.objectType(m, p)
		}
	}
	if _, ok := m["properties"]; ok {
		return w.objectType(m, p)
	}
	return "unknown"
}

func (w *writer) union(alts []any, p at, sep string) string {
	var parts []string
	for _, a := range alts {
		s := w.tsType(a, p.inner())
		if strings.Contains(s, " ") && !strings.HasPrefix(s, "{") {
			s = "(" + s + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(dedupeStrings(parts), sep)
}

func (w *writer) objectType(m map[string]any, p at) string {
	props, _ := m["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := m["required"].([]any); ok {
		for _, r := range req {
			if s, ok := r.(string); ok {
				required[s] = true
			}
		}
	}
	q := p.nested()
	extra := ""
	switch ap := m["additionalProperties"].(type) {
	case bool:
		if ap && len(props) > 0 {
			extra = "unknown"
		}
	case map[string]any:
		extra = w.tsType(ap, q)
	default:
		if len(props) == 0 {
			return "Record<string, unknown>"
		}
	}
	if len(props) == 0 && extra == "" {
		return "Record<string, unknown>"
	}
	if len(props) == 0 && !containsRef(m["additionalProperties"]) {
		return "Record<string, " + extra + ">"
	}
	pad := strings.Repeat("  ", p.indent+1)
	var b strings.Builder
	b.WriteString("{\n")
	for _, n := range slices.Sorted(maps.Keys(props)) {
		pm, _ := props[n].(map[string]any)
		if d, _ := pm["description"].(string); d != "" {
			writeDoc(&b, d, pad)
		}
		opt := "?"
		if required[n] {
			opt = ""
		}
		fmt.Fprintf(&b, "%s%s%s: %s;\n", pad, propName(n), opt, w.tsType(props[n], q))
	}
	if extra != "" {
		// An index signature, not Record<string, T>, when T refers to a
		// named type: a type alias may refer to itself inside one.
		fmt.Fprintf(&b, "%s[key: string]: %s;\n", pad, extra)
	}
	b.WriteString(strings.Repeat("  ", p.indent) + "}")
	return b.String()
}

// containsRef reports whether a schema has a $ref anywhere in it.
func containsRef(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["$ref"]; ok {
			return true
		}
		for _, e := range x {
			if containsRef(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if containsRef(e) {
				return true
			}
		}
	}
	return false
}

func writeDoc(b *strings.Builder, doc, pad string) {
	doc = strings.TrimSpace(strings.ReplaceAll(doc, "*/", "*\\/"))
	if doc == "" {
		return
	}
	lines := strings.Split(doc, "\n")
	if len(lines) == 1 {
		fmt.Fprintf(b, "%s/** %s */\n", pad, lines[0])
		return
	}
	fmt.Fprintf(b, "%s/**\n", pad)
	for _, l := range lines {
		fmt.Fprintf(b, "%s * %s\n", pad, strings.TrimRight(l, " "))
	}
	fmt.Fprintf(b, "%s */\n", pad)
}

func literal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

var identRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`) })

func propName(n string) string {
	if identRe().MatchString(n) {
		return n
	}
	return literal(n)
}

func identify(n string) string {
	var b strings.Builder
	for i, r := range n {
		switch {
		case r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

func indentLines(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		if lines[i] != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func dedupeStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
