package proxy

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Declaration renders TypeScript for the object mcpFactory.load(server)
// returns: one method per tool, typed from its input and output schemas.
func Declaration(server string, tools []*mcp.Tool) string {
	var b strings.Builder
	iface := "McpServer_" + identify(server)
	fmt.Fprintf(&b, "interface %s {\n", iface)
	for _, t := range tools {
		b.WriteString(indentLines(ToolDeclaration(t), "  "))
		b.WriteString("\n")
	}
	b.WriteString("  callTool(name: string, args?: Record<string, unknown>): Promise<unknown>;\n}\n")
	fmt.Fprintf(&b, "declare const %s: %s; // const %s = await mcpFactory.load(%q)\n", identify(server), iface, identify(server), server)
	return b.String()
}

// ToolDeclaration renders one tool as a TypeScript method signature.
func ToolDeclaration(t *mcp.Tool) string {
	var b strings.Builder
	writeDoc(&b, firstNonEmpty(t.Description, t.Title), "")
	in := tsType(toMap(t.InputSchema), 0, nil, 0)
	if in == "unknown" || in == "{}" {
		in = "Record<string, unknown>"
	}
	out := "unknown"
	if t.OutputSchema != nil {
		out = tsType(toMap(t.OutputSchema), 0, nil, 0)
	}
	optional := ""
	if req, _ := toMap(t.InputSchema)["required"].([]any); len(req) == 0 {
		optional = "?"
	}
	fmt.Fprintf(&b, "%s(args%s: %s): Promise<%s>;", propName(t.Name), optional, in, out)
	return b.String()
}

// toMap normalises a schema (any JSON value or typed struct) to a map.
func toMap(s any) map[string]any {
	if m, ok := s.(map[string]any); ok {
		return m
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

const maxDepth = 12

// tsType renders a JSON Schema as a TypeScript type.
func tsType(s any, indent int, defs map[string]any, depth int) string {
	if depth > maxDepth {
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
	if defs == nil {
		defs = map[string]any{}
		for _, k := range []string{"$defs", "definitions"} {
			if d, ok := m[k].(map[string]any); ok {
				for n, v := range d {
					defs[n] = v
				}
			}
		}
	}
	if ref, ok := m["$ref"].(string); ok {
		name := ref[strings.LastIndexByte(ref, '/')+1:]
		if d, ok := defs[name]; ok {
			return tsType(d, indent, defs, depth+1)
		}
		return "unknown"
	}
	if c, ok := m["const"]; ok {
		return literal(c)
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		var parts []string
		for _, v := range e {
			parts = append(parts, literal(v))
		}
		return strings.Join(parts, " | ")
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		if alts, ok := m[k].([]any); ok && len(alts) > 0 {
			return union(alts, indent, defs, depth, " | ")
		}
	}
	if all, ok := m["allOf"].([]any); ok && len(all) > 0 {
		return union(all, indent, defs, depth, " & ")
	}
	switch t := m["type"].(type) {
	case []any:
		var parts []string
		for _, x := range t {
			sub := map[string]any{}
			for k, v := range m {
				sub[k] = v
			}
			sub["type"] = x
			parts = append(parts, tsType(sub, indent, defs, depth+1))
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
			if items, ok := m["items"]; ok {
				it := tsType(items, indent, defs, depth+1)
				if strings.ContainsAny(it, "|&") {
					it = "(" + it + ")"
				}
				return it + "[]"
			}
			return "unknown[]"
		case "object":
			return objectType(m, indent, defs, depth)
		}
	}
	if _, ok := m["properties"]; ok {
		return objectType(m, indent, defs, depth)
	}
	return "unknown"
}

func union(alts []any, indent int, defs map[string]any, depth int, sep string) string {
	var parts []string
	for _, a := range alts {
		p := tsType(a, indent, defs, depth+1)
		if strings.Contains(p, " ") && !strings.HasPrefix(p, "{") {
			p = "(" + p + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(dedupeStrings(parts), sep)
}

func objectType(m map[string]any, indent int, defs map[string]any, depth int) string {
	props, _ := m["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := m["required"].([]any); ok {
		for _, r := range req {
			if s, ok := r.(string); ok {
				required[s] = true
			}
		}
	}
	extra := ""
	switch ap := m["additionalProperties"].(type) {
	case bool:
		if ap && len(props) > 0 {
			extra = "unknown"
		}
	case map[string]any:
		extra = tsType(ap, indent+1, defs, depth+1)
	default:
		if len(props) == 0 {
			return "Record<string, unknown>"
		}
	}
	if len(props) == 0 && extra != "" {
		return "Record<string, " + extra + ">"
	}
	names := slices.Sorted(maps.Keys(props))
	pad := strings.Repeat("  ", indent+1)
	var b strings.Builder
	b.WriteString("{\n")
	for _, n := range names {
		pm, _ := props[n].(map[string]any)
		if d, _ := pm["description"].(string); d != "" {
			writeDoc(&b, d, pad)
		}
		opt := "?"
		if required[n] {
			opt = ""
		}
		fmt.Fprintf(&b, "%s%s%s: %s;\n", pad, propName(n), opt, tsType(props[n], indent+1, defs, depth+1))
	}
	if extra != "" {
		fmt.Fprintf(&b, "%s[key: string]: %s;\n", pad, extra)
	}
	b.WriteString(strings.Repeat("  ", indent) + "}")
	return b.String()
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
