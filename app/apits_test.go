package app

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// This file reads the declarations of frontend/src/api.ts that
// TestAPIMatchesTheBindings compares with the Go bindings. It knows the
// small part of TypeScript that api.ts uses for the backend's shapes and
// fails on anything else inside those parts, so a declaration it cannot
// read is an error rather than a silent pass:
//
//   - export interface Name [extends A, B] { field[?]: Type; ... }
//   - export type Name[<T>] = Type;
//   - export const name = ['a', 'b'] as const;
//   - call<Type>('Method', arg, ...), where an arg is an identifier (a
//     parameter declared "name: Type" or "name = literal"), a literal, or
//     an object literal { key, key: value }.
//
// A Type is a name (with <type arguments>), a string or number literal,
// an object literal { ... }, (Type), typeof name, and the postfixes []
// and [number], joined with |. Everything else in the file (function
// bodies, other constants) is skipped token by token.

// token is one lexical token of api.ts; comments are dropped.
type token struct {
	kind byte // 'i' identifier, 's' string, 'n' number, 't' template, 'p' punctuation
	text string
}

// lexTS splits TypeScript source into tokens.
func lexTS(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("unclosed comment at byte %d", i)
			}
			i += end + 4
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unclosed string at byte %d", i)
			}
			toks = append(toks, token{'s', src[i+1 : j]})
			i = j + 1
		case c == '`':
			j, depth := i+1, 0
			for j < len(src) && (src[j] != '`' || depth > 0) {
				switch {
				case src[j] == '\\':
					j++
				case strings.HasPrefix(src[j:], "${"):
					depth++
					j++
				case src[j] == '}' && depth > 0:
					depth--
				}
				j++
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unclosed template at byte %d", i)
			}
			toks = append(toks, token{'t', src[i : j+1]})
			i = j + 1
		case c == '_' || c == '$' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j]))) {
				j++
			}
			toks = append(toks, token{'i', src[i:j]})
			i = j
		case unicode.IsDigit(rune(c)):
			j := i
			for j < len(src) && (unicode.IsDigit(rune(src[j])) || src[j] == '.' || src[j] == '_') {
				j++
			}
			toks = append(toks, token{'n', src[i:j]})
			i = j
		default:
			n := 1
			for _, op := range []string{"...", "===", "!==", "=>", "?.", "??", "==", "!=", "&&", "||", "<=", ">="} {
				if strings.HasPrefix(src[i:], op) {
					n = len(op)
					break
				}
			}
			toks = append(toks, token{'p', src[i : i+n]})
			i += n
		}
	}
	return toks, nil
}

// tsType is a parsed TypeScript type.
type tsType struct {
	kind   string    // "name", "string-literal", "number-literal", "object", "array", "union", "typeof", "index"
	name   string    // a name's identifier, a literal's value, typeof's operand
	args   []*tsType // a name's type arguments, a union's members
	elem   *tsType   // an array's element, an indexed access's object
	fields []tsField // an object literal's members
}

// tsField is one member of an interface or object literal type.
type tsField struct {
	name     string
	optional bool
	typ      *tsType
}

func (t *tsType) String() string {
	switch t.kind {
	case "name":
		if len(t.args) == 0 {
			return t.name
		}
		var as []string
		for _, a := range t.args {
			as = append(as, a.String())
		}
		return t.name + "<" + strings.Join(as, ", ") + ">"
	case "string-literal":
		return "'" + t.name + "'"
	case "number-literal":
		return t.name
	case "array":
		return t.elem.String() + "[]"
	case "index":
		return "(" + t.elem.String() + ")[number]"
	case "typeof":
		return "typeof " + t.name
	case "union":
		var ms []string
		for _, m := range t.args {
			ms = append(ms, m.String())
		}
		return strings.Join(ms, " | ")
	}
	var fs []string
	for _, f := range t.fields {
		fs = append(fs, f.name+map[bool]string{true: "?", false: ""}[f.optional]+": "+f.typ.String())
	}
	return "{ " + strings.Join(fs, "; ") + " }"
}

// tsFile is what api.ts declares.
type tsFile struct {
	interfaces map[string]tsInterface
	aliases    map[string]*tsType
	constLists map[string][]string // export const x = [...] as const
	calls      []tsCall
}

// tsInterface is one exported interface.
type tsInterface struct {
	extends []string
	fields  []tsField
}

// tsCall is one call<T>('Method', args...) of a bound method.
type tsCall struct {
	method string
	result *tsType
	args   []tsArg
}

// tsArg is one argument of a call: its type (from a parameter's
// declaration or a literal), or the keys of an object literal.
type tsArg struct {
	typ  *tsType
	keys []string // set for an object literal
}

// parser reads tokens; every method fails with the position it stopped at.
type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek(k int) token {
	if i := p.pos + k; i >= 0 && i < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return token{}
}

func (p *parser) is(text string) bool { return p.peek(0).kind != 's' && p.peek(0).text == text }

func (p *parser) expect(text string) error {
	if !p.is(text) {
		return p.errorf("want %q", text)
	}
	p.pos++
	return nil
}

func (p *parser) ident() (string, error) {
	t := p.peek(0)
	if t.kind != 'i' {
		return "", p.errorf("want a name")
	}
	p.pos++
	return t.text, nil
}

func (p *parser) errorf(format string, args ...any) error {
	var near []string
	for k := 0; k < 6; k++ {
		near = append(near, p.peek(k).text)
	}
	return fmt.Errorf(format+" at token %d (%s)", append(args, p.pos, strings.Join(near, " "))...)
}

// parseTS reads api.ts.
func parseTS(src string) (*tsFile, error) {
	toks, err := lexTS(src)
	if err != nil {
		return nil, err
	}
	f := &tsFile{interfaces: map[string]tsInterface{}, aliases: map[string]*tsType{}, constLists: map[string][]string{}}
	p := &parser{toks: toks}
	for p.pos < len(toks) {
		var err error
		switch {
		case p.is("export") && p.peek(1).text == "interface":
			p.pos += 2
			err = p.parseInterface(f)
		case p.is("export") && p.peek(1).text == "type":
			p.pos += 2
			err = p.parseAlias(f)
		case p.is("export") && p.peek(1).text == "const" && p.peek(3).text == "=" && p.peek(4).text == "[":
			p.pos += 2
			err = p.parseConstList(f)
		case p.is("call") && p.peek(1).text == "<" && p.peek(-1).text != "function":
			err = p.parseCall(f)
		default:
			p.pos++
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

// resolve follows interface and alias names to the type they stand for.
func (f *tsFile) resolve(ts *tsType) *tsType {
	for ts.kind == "name" {
		if it, ok := f.interfaces[ts.name]; ok {
			obj := &tsType{kind: "object"}
			for _, base := range it.extends {
				obj.fields = append(obj.fields, f.resolve(&tsType{kind: "name", name: base}).fields...)
			}
			obj.fields = append(obj.fields, it.fields...)
			return obj
		}
		a, ok := f.aliases[ts.name]
		if !ok {
			return ts
		}
		ts = a
	}
	return ts
}

// names lists the string literals a key type stands for: a union of
// them, or (typeof list)[number] of an "as const" list.
func (f *tsFile) names(ts *tsType) ([]string, bool) {
	ts = f.resolve(ts)
	if ts.kind == "index" && ts.elem.kind == "typeof" {
		l, ok := f.constLists[ts.elem.name]
		return l, ok
	}
	if !stringLiterals(ts) {
		return nil, false
	}
	var out []string
	for _, m := range append([]*tsType{ts}, ts.args...) {
		if m.kind == "string-literal" {
			out = append(out, m.name)
		}
	}
	return out, true
}

// stringLiterals reports whether ts is a string literal or a union of them.
func stringLiterals(ts *tsType) bool {
	if ts.kind == "string-literal" {
		return true
	}
	return ts.kind == "union" && !slices.ContainsFunc(ts.args, func(m *tsType) bool { return m.kind != "string-literal" })
}
