package skills

import (
	"encoding/json"
	"strings"
)

// signature renders one export's declaration from deno doc's structured
// definition. Hand-written: no Go library reads deno doc's JSON, and the
// shapes needed (functions, their parameters and types) are few; a type
// this does not know is shown as deno doc's own rendering (repr), else as
// unknown.
func signature(name string, d declaration) string {
	switch d.Kind {
	case "function":
		var f fnDef
		if json.Unmarshal(d.Def, &f) != nil {
			return "function " + name + "(...)"
		}
		prefix := "function "
		if f.IsAsync {
			prefix = "async function "
		}
		return prefix + name + f.render()
	case "variable":
		var v struct {
			Kind   string  `json:"kind"`
			TsType *tsType `json:"tsType"`
		}
		_ = json.Unmarshal(d.Def, &v)
		kw := v.Kind
		if kw == "" {
			kw = "const"
		}
		return kw + " " + name + ": " + v.TsType.render()
	case "class":
		return "class " + name
	case "interface":
		return "interface " + name
	case "typeAlias":
		var t struct {
			TsType *tsType `json:"tsType"`
		}
		_ = json.Unmarshal(d.Def, &t)
		return "type " + name + " = " + t.TsType.render()
	case "enum":
		return "enum " + name
	case "namespace":
		return "namespace " + name
	}
	return d.Kind + " " + name
}

type fnDef struct {
	Params     []param `json:"params"`
	ReturnType *tsType `json:"returnType"`
	IsAsync    bool    `json:"isAsync"`
	TypeParams []struct {
		Name string `json:"name"`
	} `json:"typeParams"`
}

func (f fnDef) render() string {
	var b strings.Builder
	if len(f.TypeParams) > 0 {
		names := make([]string, len(f.TypeParams))
		for i, t := range f.TypeParams {
			names[i] = t.Name
		}
		b.WriteString("<" + strings.Join(names, ", ") + ">")
	}
	ps := make([]string, len(f.Params))
	for i, p := range f.Params {
		ps[i] = p.render()
	}
	b.WriteString("(" + strings.Join(ps, ", ") + ")")
	if f.ReturnType != nil {
		b.WriteString(": " + f.ReturnType.render())
	}
	return b.String()
}

type param struct {
	Kind     string  `json:"kind"` // identifier, rest, assign, object, array
	Name     string  `json:"name"`
	Optional bool    `json:"optional"`
	TsType   *tsType `json:"tsType"`
	Arg      *param  `json:"arg"`  // rest
	Left     *param  `json:"left"` // assign
}

func (p param) render() string {
	typed := func(s string, t *tsType, optional bool) string {
		if optional {
			s += "?"
		}
		if t != nil {
			s += ": " + t.render()
		}
		return s
	}
	switch p.Kind {
	case "identifier":
		return typed(p.Name, p.TsType, p.Optional)
	case "rest":
		n := "args"
		if p.Arg != nil && p.Arg.Name != "" {
			n = p.Arg.Name
		}
		return typed("..."+n, p.TsType, false)
	case "assign":
		if p.Left != nil {
			l := *p.Left
			l.Optional = true
			return l.render()
		}
	case "object":
		return typed("{...}", p.TsType, p.Optional)
	case "array":
		return typed("[...]", p.TsType, p.Optional)
	}
	return typed("arg", p.TsType, p.Optional)
}

// tsType is deno doc's TsTypeDef: a kind, its value, and repr (deno doc's
// own short rendering, empty for composite types).
type tsType struct {
	Repr  string          `json:"repr"`
	Kind  string          `json:"kind"`
	Value json.RawMessage `json:"value"`
}

func (t *tsType) render() string {
	if t == nil {
		return "unknown"
	}
	list := func() []string {
		var ts []*tsType
		_ = json.Unmarshal(t.Value, &ts)
		out := make([]string, len(ts))
		for i, x := range ts {
			out[i] = x.render()
		}
		return out
	}
	switch t.Kind {
	case "literal":
		var l struct {
			Kind   string `json:"kind"`
			String string `json:"string"`
		}
		if json.Unmarshal(t.Value, &l) == nil && l.Kind == "string" {
			b, _ := json.Marshal(l.String)
			return string(b)
		}
		if t.Repr != "" {
			return t.Repr
		}
	case "typeQuery":
		var name string
		if json.Unmarshal(t.Value, &name) == nil && name != "" {
			return "typeof " + name
		}
		if t.Repr != "" {
			return "typeof " + t.Repr
		}
	case "keyword", "this":
		if t.Repr != "" {
			return t.Repr
		}
	case "typeRef":
		var r struct {
			TypeName   string    `json:"typeName"`
			TypeParams []*tsType `json:"typeParams"`
		}
		if json.Unmarshal(t.Value, &r) == nil && r.TypeName != "" {
			if len(r.TypeParams) == 0 {
				return r.TypeName
			}
			ps := make([]string, len(r.TypeParams))
			for i, x := range r.TypeParams {
				ps[i] = x.render()
			}
			return r.TypeName + "<" + strings.Join(ps, ", ") + ">"
		}
	case "union":
		return strings.Join(list(), " | ")
	case "intersection":
		return strings.Join(list(), " & ")
	case "tuple":
		return "[" + strings.Join(list(), ", ") + "]"
	case "array":
		var e tsType
		if json.Unmarshal(t.Value, &e) == nil {
			s := e.render()
			if e.Kind == "union" || e.Kind == "intersection" || e.Kind == "fnOrConstructor" {
				s = "(" + s + ")"
			}
			return s + "[]"
		}
	case "parenthesized", "optional":
		var e tsType
		if json.Unmarshal(t.Value, &e) == nil {
			return "(" + e.render() + ")"
		}
	case "typeLiteral":
		var l struct {
			Properties []struct {
				Name     string  `json:"name"`
				Optional bool    `json:"optional"`
				TsType   *tsType `json:"tsType"`
			} `json:"properties"`
		}
		if json.Unmarshal(t.Value, &l) == nil {
			ps := make([]string, len(l.Properties))
			for i, p := range l.Properties {
				opt := ""
				if p.Optional {
					opt = "?"
				}
				ps[i] = p.Name + opt + ": " + p.TsType.render()
			}
			if len(ps) == 0 {
				return "{}"
			}
			return "{ " + strings.Join(ps, "; ") + " }"
		}
	case "fnOrConstructor":
		var f struct {
			Params []param `json:"params"`
			TsType *tsType `json:"tsType"`
		}
		if json.Unmarshal(t.Value, &f) == nil {
			ps := make([]string, len(f.Params))
			for i, p := range f.Params {
				ps[i] = p.render()
			}
			return "(" + strings.Join(ps, ", ") + ") => " + f.TsType.render()
		}
	}
	if t.Repr != "" {
		return t.Repr
	}
	return "unknown"
}
