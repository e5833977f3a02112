package proxy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// pyIdent is a name Python can use as a method or keyword argument.
var pyIdent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// pyKeywords cannot name a method or an argument.
var pyKeywords = []string{"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
	"def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
	"nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"}

// maxPythonSignature bounds one tool's Python signature; a larger one keeps
// its argument names with loose types.
const maxPythonSignature = 16 << 10

// PythonSignature is the tool as the Python proxy object's method, a
// definition Python parses inside a class:
// `async def name(self, args, *, arg: type, opt: type | None = None) -> Any: ...`, its
// arguments keyword-only (a dict may be passed instead). A tool whose name
// Python cannot spell is shown as the call_tool call that reaches it.
// Types are read from the input schema; what Python's hints cannot say
// ($ref targets, patterns) is Any, since the schemas beside it say it all.
func PythonSignature(t *mcp.Tool) string {
	root := toMap(t.InputSchema)
	props, _ := root["properties"].(map[string]any)
	req := map[string]bool{}
	if r, ok := root["required"].([]any); ok {
		for _, x := range r {
			if s, ok := x.(string); ok {
				req[s] = true
			}
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { // required ones first, then by name
		if req[names[i]] != req[names[j]] {
			return req[names[i]]
		}
		return names[i] < names[j]
	})
	var params []string
	loose := false
	for _, n := range names {
		if !pyName(n) {
			loose = true
			continue
		}
		typ := pyType(props[n], 0)
		p := n + ": " + typ
		if !req[n] {
			if !slices.Contains(strings.Split(typ, " | "), "None") {
				typ += " | None"
			}
			p = n + ": " + typ + " = None"
		}
		params = append(params, p)
	}
	sig := ""
	if len(params) > 0 {
		sig = "*, " + strings.Join(params, ", ")
	}
	if loose || root["additionalProperties"] != false && len(props) == 0 {
		sig = strings.TrimPrefix(sig+", **arguments: Any", ", ")
	}
	var b strings.Builder
	if pyName(t.Name) {
		fmt.Fprintf(&b, "async def %s(self, args: dict | None = None, %s) -> Any", t.Name, sig)
	} else {
		fmt.Fprintf(&b, "# await srv.call_tool(%s, {...})\nasync def call_tool(self, tool: Literal[%s], args: dict | None = None, %s) -> Any", pyString(t.Name), pyString(t.Name), sig)
	}
	out := strings.Replace(b.String(), ", ) -> Any", ") -> Any", 1)
	if len(out) > maxPythonSignature {
		return fmt.Sprintf("async def %s(self, args: dict | None = None, **arguments: Any) -> Any: ...  # see inputSchema", identOr(t.Name))
	}
	if d := strings.TrimSpace(t.Description); d != "" {
		return out + ":\n    " + pyString(firstLine(d))
	}
	return out + ": ..."
}

func pyName(n string) bool { return pyIdent().MatchString(n) && !slices.Contains(pyKeywords, n) }

func identOr(n string) string {
	if pyName(n) {
		return n
	}
	return "call_tool"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if r := []rune(line); len(r) > 200 {
		line = string(r[:197]) + "..."
	}
	return line
}

// pyString is s as a Python string literal (JSON's escapes are Python's).
func pyString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// pyType is a JSON Schema as a Python type hint.
func pyType(s any, depth int) string {
	m, ok := s.(map[string]any)
	if !ok || depth > 8 {
		return "Any"
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		var lits []string
		for _, v := range e {
			switch x := v.(type) {
			case string:
				lits = append(lits, pyString(x))
			case bool:
				lits = append(lits, map[bool]string{true: "True", false: "False"}[x])
			case float64:
				lits = append(lits, fmt.Sprint(x))
			case nil:
				lits = append(lits, "None")
			default:
				return "Any"
			}
		}
		return "Literal[" + strings.Join(lits, ", ") + "]"
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		if alts, ok := m[k].([]any); ok && len(alts) > 0 {
			var ts []string
			for _, a := range alts {
				if t := pyType(a, depth+1); !slices.Contains(ts, t) {
					ts = append(ts, t)
				}
			}
			return strings.Join(ts, " | ")
		}
	}
	switch t := m["type"].(type) {
	case string:
		return pyScalar(t, m, depth)
	case []any:
		var ts []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				ts = append(ts, pyScalar(s, m, depth))
			}
		}
		if len(ts) > 0 {
			return strings.Join(ts, " | ")
		}
	}
	return "Any"
}

func pyScalar(t string, m map[string]any, depth int) string {
	switch t {
	case "string":
		return "str"
	case "integer":
		return "int"
	case "number":
		return "float"
	case "boolean":
		return "bool"
	case "null":
		return "None"
	case "array":
		if it, ok := m["items"]; ok {
			return "list[" + pyType(it, depth+1) + "]"
		}
		return "list"
	case "object":
		return "dict"
	}
	return "Any"
}
