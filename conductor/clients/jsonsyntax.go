package clients

import (
	"bytes"
	"fmt"

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
	b, err := marshal(v, indent, unit)
	if err != nil {
		return hujson.Value{}, err
	}
	return hujson.Parse(b)
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
	case compact:
		if n > 0 && isSpace(obj.Members[n-1].Name.BeforeExtra) {
			nameV.BeforeExtra = bytes.Clone(obj.Members[n-1].Name.BeforeExtra)
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
		if m.Value.AfterExtra == nil && isSpace(prev.Value.AfterExtra) {
			prev.Value.AfterExtra = nil // no trailing comma where there was none
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
