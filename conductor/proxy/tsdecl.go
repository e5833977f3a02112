package proxy

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TypeScript declarations of upstream tools, for the model to write typed
// calls. A schema's definitions ($defs, definitions) and every other
// target of a $ref become named types, each declared once and referred to
// by name, so a recursive schema is a recursive type and the output grows
// with the schema, not with what its references unfold to. A $ref is
// resolved as the JSON pointer it is (#/$defs/a/properties/b included);
// one that leaves the document is unknown.

// maxToolDeclBytes bounds one tool's declaration. A tool whose schemas
// would declare more is given loose types and a note to read its schema.
const maxToolDeclBytes = 64 << 10

// Declaration renders TypeScript for the object mcpFactory.load(server)
// returns: the named types of the tools' schemas, then an interface with
// one method per tool.
func Declaration(server string, tools []*mcp.Tool) string {
	n := namer{}
	n.reserve(identify(server))
	iface := n.unique("McpServer_" + identify(server))
	var types, methods strings.Builder
	for _, t := range tools {
		d := declareTool(t, n)
		types.WriteString(d.types)
		methods.WriteString(indentLines(d.method, "  ") + "\n")
	}
	var b strings.Builder
	b.WriteString(types.String())
	fmt.Fprintf(&b, "interface %s {\n%s", iface, methods.String())
	b.WriteString("  callTool(name: string, args?: Record<string, unknown>): Promise<unknown>;\n}\n")
	fmt.Fprintf(&b, "declare const %s: %s; // const %s = await mcpFactory.load(%q)\n", identify(server), iface, identify(server), server)
	return b.String()
}

// ToolDeclaration renders one tool: the named types its schemas use, then
// its method signature.
func ToolDeclaration(t *mcp.Tool) string {
	d := declareTool(t, namer{})
	return d.types + d.method
}

// toolDecl is one tool's declaration: type declarations (each ending in a
// newline) and the method signature.
type toolDecl struct{ types, method string }

func declareTool(t *mcp.Tool, n namer) toolDecl {
	w := &writer{names: n, named: map[string]string{}}
	base := identify(t.Name)
	inSchema := toMap(t.InputSchema)
	in := w.render(inSchema, w.document(inSchema, base, base+"_args"), 0, 0)
	if in == "unknown" || in == "{}" {
		in = "Record<string, unknown>"
	}
	out := "unknown"
	if t.OutputSchema != nil {
		outSchema := toMap(t.OutputSchema)
		out = w.render(outSchema, w.document(outSchema, base+"_result", base+"_result"), 0, 0)
	}
	w.drain()
	optional := "?"
	if hasRequired(inSchema) {
		optional = ""
	}
	var m strings.Builder
	writeDoc(&m, firstNonEmpty(t.Description, t.Title), "")
	sig := fmt.Sprintf("%s(args%s: %s): Promise<%s>;", propName(t.Name), optional, in, out)
	if w.types.Len()+len(sig) > maxToolDeclBytes {
		writeDoc(&m, fmt.Sprintf("(Its schemas are too large to declare here, %d KiB of TypeScript: read inputSchema and outputSchema.)", (w.types.Len()+len(sig))>>10), "")
		fmt.Fprintf(&m, "%s(args?: Record<string, unknown>): Promise<unknown>;", propName(t.Name))
		return toolDecl{method: m.String()}
	}
	m.WriteString(sig)
	return toolDecl{types: w.types.String(), method: m.String()}
}

// hasRequired reports whether the arguments have a required property,
// following a root that is only a $ref to its definition.
func hasRequired(root map[string]any) bool {
	s := root
	for range 8 {
		if req, _ := s["required"].([]any); len(req) > 0 {
			return true
		}
		ref, ok := s["$ref"].(string)
		if !ok {
			return false
		}
		segs, ok := pointer(ref)
		if !ok {
			return false
		}
		target, ok := resolve(root, segs)
		if !ok {
			return false
		}
		if s, ok = target.(map[string]any); !ok {
			return false
		}
	}
	return false
}

// A schemaDoc is one schema document: the root $refs resolve against.
type schemaDoc struct {
	root     any
	id       int
	prefix   string // of its named types
	rootName string // the name of the root, when something refers to it
}

// writer renders one tool's schemas, collecting named types.
type writer struct {
	names namer
	docs  int
	named map[string]string // doc id + pointer → type name
	queue []namedType       // named types to declare, in order
	types strings.Builder
}

type namedType struct {
	key, name string
	schema    any
	doc       *schemaDoc
}

// document registers a schema document and names its definitions, in
// order, so that each is declared even if nothing refers to it.
func (w *writer) document(root map[string]any, prefix, rootName string) *schemaDoc {
	w.docs++
	d := &schemaDoc{root: root, id: w.docs, prefix: prefix, rootName: rootName}
	for _, k := range []string{"$defs", "definitions"} {
		defs, _ := root[k].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(defs)) {
			w.ref(d, "#/"+k+"/"+escapePointer(name), false, "")
		}
	}
	return d
}

// ref returns the type a $ref names, declaring it if it is new. At the top
// of a named type's body (not inside an object or array), a reference that
// leads back to that type through other such references is unknown:
// TypeScript refuses a type alias that is itself.
func (w *writer) ref(d *schemaDoc, ref string, top bool, from string) string {
	segs, ok := pointer(ref)
	if !ok {
		return "unknown"
	}
	key := fmt.Sprintf("%d#%s", d.id, strings.Join(segs, "/"))
	target, ok := resolve(d.root, segs)
	if !ok {
		return "unknown"
	}
	if top && from != "" && (key == from || w.leadsTo(d, target, from, map[string]bool{})) {
		return "unknown"
	}
	if name, ok := w.named[key]; ok {
		return name
	}
	name := w.names.unique(typeName(d, segs))
	w.named[key] = name
	w.queue = append(w.queue, namedType{key: key, name: name, schema: target, doc: d})
	return name
}

// leadsTo reports whether s refers, through references at the top of
// types (unions, intersections, other references), to the type keyed key.
func (w *writer) leadsTo(d *schemaDoc, s any, key string, seen map[string]bool) bool {
	m, ok := s.(map[string]any)
	if !ok {
		return false
	}
	if ref, ok := m["$ref"].(string); ok {
		segs, ok := pointer(ref)
		if !ok {
			return false
		}
		k := fmt.Sprintf("%d#%s", d.id, strings.Join(segs, "/"))
		if k == key {
			return true
		}
		if seen[k] {
			return false
		}
		seen[k] = true
		target, ok := resolve(d.root, segs)
		return ok && w.leadsTo(d, target, key, seen)
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		alts, _ := m[k].([]any)
		for _, a := range alts {
			if w.leadsTo(d, a, key, seen) {
				return true
			}
		}
	}
	return false
}

// drain declares the named types, including those found while declaring.
func (w *writer) drain() {
	for i := 0; i < len(w.queue); i++ {
		nt := w.queue[i]
		body := w.renderNamed(nt)
		if m, ok := nt.schema.(map[string]any); ok {
			if d, _ := m["description"].(string); d != "" {
				writeDoc(&w.types, d, "")
			}
		}
		fmt.Fprintf(&w.types, "type %s = %s;\n", nt.name, body)
	}
	if w.types.Len() > 0 {
		w.types.WriteString("\n")
	}
}

func typeName(d *schemaDoc, segs []string) string {
	if len(segs) == 0 {
		return d.rootName
	}
	parts := []string{d.prefix}
	for _, s := range segs {
		switch s {
		case "$defs", "definitions", "properties", "items":
		default:
			parts = append(parts, identify(s))
		}
	}
	return strings.Join(parts, "_")
}

// pointer parses a $ref within the document, "#" or "#/a/b", into the
// pointer's unescaped segments.
func pointer(ref string) ([]string, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	if frag == "" {
		return nil, true
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, false // an $anchor: not supported
	}
	segs := strings.Split(frag[1:], "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs, true
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// resolve follows a JSON pointer's segments from root.
func resolve(root any, segs []string) (any, bool) {
	v := root
	for _, s := range segs {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[s]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != s {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// namer hands out type names no other type of the declaration has.
type namer map[string]bool

func (n namer) reserve(name string) { n[name] = true }

func (n namer) unique(base string) string {
	name := base
	for i := 2; n[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	n[name] = true
	return name
}

// SchemaMap normalises a schema (any JSON value or typed struct, as the
// go-sdk hands them over) to a generic map; nil when it is none.
func SchemaMap(s any) map[string]any { return toMap(s) }

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
