package clients

import (
	"bytes"
	"fmt"
	"maps"
	"slices"

	"github.com/tailscale/hujson"
)

// ParseError reports a configuration file that does not parse. Such a file
// is never written.
type ParseError struct {
	Path         string
	Line, Column int // 1-based; 0 if unknown
	Err          error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v; fix the file by hand (mcp-conductor did not change it)", e.Path, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// isSpace reports whether b holds only blanks (no comments).
func isSpace(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

func hasComment(b []byte) bool {
	return bytes.Contains(b, []byte("//")) || bytes.Contains(b, []byte("/*"))
}

// indentUnit guesses one level of indentation from the root's first member.
func indentUnit(root *hujson.Object) string {
	for _, m := range root.Members {
		b := m.Name.BeforeExtra
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 && i+1 < len(b) && isSpace(b[i+1:]) {
			return string(b[i+1:])
		}
	}
	return "  "
}

// memberIndent returns the indentation of the line on which m's name stands.
func memberIndent(src []byte, m *hujson.ObjectMember) string {
	b := m.Name.BeforeExtra
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return string(b[i+1:])
	}
	off := m.Name.StartOffset
	if off > len(src) {
		return ""
	}
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < off && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// firstLine splits b after its first line (before the '\n').
func firstLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i:]
	}
	return b, nil
}

// renderValue renders v for a member whose name is indented by indent;
// compact keeps it on one line.
func renderValue(v any, indent, unit string, compact bool) (hujson.Value, error) {
	if compact {
		unit = ""
	}
	return hujson.Parse(renderJSON(v, indent, unit))
}

// renderJSON writes one of our values. Objects are expanded one member a
// line (unit "" keeps them on one line); string arrays stay on one line, as
// people write them. Lines after the first start with indent.
func renderJSON(v any, indent, unit string) []byte {
	var b bytes.Buffer
	str := func(s string) {
		q, _ := marshal(s, "", "")
		b.Write(q)
	}
	object := func(n int, key func(int) string, val func(int) any) {
		if n == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if unit == "" {
				if i > 0 {
					b.WriteByte(' ')
				}
			} else {
				b.WriteString("\n" + indent + unit)
			}
			str(key(i))
			b.WriteString(": ")
			b.Write(renderJSON(val(i), indent+unit, unit))
		}
		if unit != "" {
			b.WriteString("\n" + indent)
		}
		b.WriteByte('}')
	}
	switch v := v.(type) {
	case string:
		str(v)
	case []string:
		b.WriteByte('[')
		for i, s := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			str(s)
		}
		b.WriteByte(']')
	case map[string]string:
		keys := slices.Sorted(maps.Keys(v))
		object(len(keys), func(i int) string { return keys[i] }, func(i int) any { return v[keys[i]] })
	case fields:
		object(len(v), func(i int) string { return v[i].key }, func(i int) any { return v[i].val })
	default:
		panic(fmt.Sprintf("clients: no JSON form for %T", v))
	}
	return b.Bytes()
}

// addMember appends name: v to obj, whose own line is indented by
// objIndent, in the style of the members already there.
func addMember(obj *hujson.Object, objIndent, unit, name string, v any) error {
	indent := objIndent + unit
	valBefore := []byte(" ")
	compact := false
	trailingComma := false
	n := len(obj.Members)
	if n > 0 {
		last := &obj.Members[n-1]
		b := last.Name.BeforeExtra
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			if isSpace(b[i+1:]) {
				indent = string(b[i+1:])
			}
		} else {
			compact = true
		}
		if isSpace(last.Value.BeforeExtra) {
			valBefore = bytes.Clone(last.Value.BeforeExtra)
		}
		trailingComma = last.Value.AfterExtra != nil
	}
	val, err := renderValue(v, indent, unit, compact)
	if err != nil {
		return err
	}
	val.BeforeExtra = valBefore
	if trailingComma {
		val.AfterExtra = []byte{}
	}
	nameV := hujson.Value{Value: hujson.String(name)}
	switch {
	case compact: // {"a": 1, "b": 2} or {"a":1,"b":2}
		if len(valBefore) > 0 {
			nameV.BeforeExtra = []byte(" ")
		}
	default:
		// A comment after the last member, on its line, stays there.
		lead, rest := firstLine(obj.AfterExtra)
		if !hasComment(lead) {
			lead = nil
		}
		nameV.BeforeExtra = append(append(bytes.Clone(lead), '\n'), indent...)
		if lead != nil || isSpace(obj.AfterExtra) {
			obj.AfterExtra = rest
		}
		if isSpace(obj.AfterExtra) {
			obj.AfterExtra = []byte("\n" + objIndent)
		}
	}
	obj.Members = append(obj.Members, hujson.ObjectMember{Name: nameV, Value: val})
	return nil
}

// insertMember puts name: val (rendered) before obj.Members[at], on a line
// of its own when that member has one.
func insertMember(obj *hujson.Object, at int, name string, val []byte) {
	next := &obj.Members[at]
	v, err := hujson.Parse(val)
	if err != nil {
		panic(err) // we rendered it
	}
	v.BeforeExtra = []byte(" ")
	m := hujson.ObjectMember{Name: hujson.Value{Value: hujson.String(name), BeforeExtra: next.Name.BeforeExtra}, Value: v}
	b := next.Name.BeforeExtra
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		next.Name.BeforeExtra = append([]byte("\n"), b[i+1:]...)
	} else {
		next.Name.BeforeExtra = []byte(" ")
	}
	obj.Members = append(obj.Members[:at], append([]hujson.ObjectMember{m}, obj.Members[at:]...)...)
}

// setValue replaces m's value, keeping the space and comments around it.
func setValue(m *hujson.ObjectMember, indent, unit string, v any) error {
	compact := !bytes.Contains(m.Name.BeforeExtra, []byte("\n")) && !bytes.Contains(m.Value.Pack(), []byte("\n"))
	val, err := renderValue(v, indent, unit, compact)
	if err != nil {
		return err
	}
	m.Value.Value = val.Value
	return nil
}

// removeMember deletes obj.Members[i] with the comments above it. A comment
// on the line before it (after the previous member's comma) stays.
func removeMember(obj *hujson.Object, i int) {
	m := obj.Members[i]
	lead, _ := firstLine(m.Name.BeforeExtra)
	if !hasComment(lead) || !bytes.Contains(m.Name.BeforeExtra, []byte("\n")) {
		lead = nil
	}
	obj.Members = append(obj.Members[:i], obj.Members[i+1:]...)
	if i < len(obj.Members) {
		next := &obj.Members[i]
		nl, rest := firstLine(next.Name.BeforeExtra)
		if hasComment(nl) && rest != nil { // a comment that followed the removed member
			next.Name.BeforeExtra = rest
		}
		next.Name.BeforeExtra = append(bytes.Clone(lead), next.Name.BeforeExtra...)
		return
	}
	if i > 0 {
		prev := &obj.Members[i-1]
		switch { // keep the file's trailing-comma style
		case m.Value.AfterExtra == nil && isSpace(prev.Value.AfterExtra):
			prev.Value.AfterExtra = nil
		case m.Value.AfterExtra != nil && prev.Value.AfterExtra == nil:
			prev.Value.AfterExtra = []byte{}
		}
	}
	if l, rest := firstLine(obj.AfterExtra); hasComment(l) && rest != nil {
		obj.AfterExtra = rest // a comment that followed the removed member
	}
	obj.AfterExtra = append(bytes.Clone(lead), obj.AfterExtra...)
	if len(obj.Members) == 0 && isSpace(obj.AfterExtra) {
		obj.AfterExtra = nil
	}
}
