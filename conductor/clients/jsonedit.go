package clients

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/mcp-conductor/mcp-conductor/internal/jsonc"
	"github.com/tailscale/hujson"
)

// JSON files are edited on the hujson syntax tree, which keeps every byte we
// do not touch: comments, trailing commas, indentation, key order. New text
// copies the indentation of its neighbours.

// MarshalJSON writes the fields in order.
func (f fields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range f {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := marshal(kv.key, "", "")
		v, err := marshal(kv.val, "", "")
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (f fields) has(key string) bool {
	return slices.ContainsFunc(f, func(kv field) bool { return kv.key == key })
}

// marshal encodes v without HTML escaping; with unit != "" it is indented,
// every line after the first starting with prefix.
func marshal(v any, prefix, unit string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if unit != "" {
		enc.SetIndent(prefix, unit)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// parseJSON parses a JSON or JSONC document whose top level must be an
// object. Errors carry the line and column.
func parseJSON(path string, data []byte) (hujson.Value, *hujson.Object, error) {
	v, err := jsonc.Parse(data)
	var se *jsonc.SyntaxError
	if errors.As(err, &se) {
		return v, nil, &ParseError{Path: path, Line: se.Line, Column: se.Column, Err: errors.New(se.Msg)}
	} else if err != nil {
		return v, nil, &ParseError{Path: path, Err: err}
	}
	obj, ok := v.Value.(*hujson.Object)
	if !ok {
		return v, nil, &ParseError{Path: path, Line: 1, Column: 1, Err: fmt.Errorf("the top level is not a JSON object")}
	}
	return v, obj, nil
}

// member returns the index of the member called name, or -1.
func member(obj *hujson.Object, name string) int {
	for i := range obj.Members {
		if s, ok := obj.Members[i].Name.Value.(hujson.Literal); ok && s.String() == name {
			return i
		}
	}
	return -1
}

// decode turns a syntax tree value into plain Go values.
func decode(v hujson.Value) (any, error) {
	c := v.Clone()
	c.Standardize()
	var out any
	err := json.Unmarshal(c.Pack(), &out)
	return out, err
}

// jsonEntry returns our entry in data (under key), if present.
func jsonEntry(path string, data []byte, key string) (map[string]any, bool, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, false, nil
	}
	_, root, err := parseJSON(path, data)
	if err != nil {
		return nil, false, err
	}
	si := member(root, key)
	if si < 0 {
		return nil, false, nil
	}
	servers, ok := root.Members[si].Value.Value.(*hujson.Object)
	if !ok {
		return nil, false, fmt.Errorf("%s: %q is not an object; fix it by hand", path, key)
	}
	ei := member(servers, ServerName)
	if ei < 0 {
		return nil, false, nil
	}
	v, err := decode(servers.Members[ei].Value)
	if err != nil {
		return nil, false, err
	}
	m, _ := v.(map[string]any)
	return m, true, nil
}

// jsonSet writes our entry (f) under key, changing nothing else.
func jsonSet(path string, data []byte, key string, f fields) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return append(renderJSON(fields{{key, fields{{ServerName, f}}}}, "", "  "), '\n'), nil
	}
	doc, root, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	unit := indentUnit(root)
	si := member(root, key)
	if si < 0 {
		if err := addMember(root, "", unit, key, fields{{ServerName, f}}); err != nil {
			return nil, err
		}
		return doc.Pack(), nil
	}
	sm := &root.Members[si]
	servers, ok := sm.Value.Value.(*hujson.Object)
	if !ok {
		return nil, fmt.Errorf("%s: %q is not an object; fix it by hand", path, key)
	}
	sIndent := memberIndent(data, sm)
	ei := member(servers, ServerName)
	if ei < 0 {
		if err := addMember(servers, sIndent, unit, ServerName, f); err != nil {
			return nil, err
		}
		return doc.Pack(), nil
	}
	em := &servers.Members[ei]
	entry, ok := em.Value.Value.(*hujson.Object)
	if !ok { // not an object: replace it whole
		if err := setValue(em, memberIndent(data, em), unit, f); err != nil {
			return nil, err
		}
		return doc.Pack(), nil
	}
	eIndent := memberIndent(data, em)
	for i := len(entry.Members) - 1; i >= 0; i-- {
		name := entry.Members[i].Name.Value.(hujson.Literal).String()
		if owned(name) && !f.has(name) {
			removeMember(entry, i)
		}
	}
	for n, kv := range f {
		i := member(entry, kv.key)
		if i < 0 {
			// Place it after the field that precedes it in our order.
			at := 0
			for _, p := range f[:n] {
				at = max(at, member(entry, p.key)+1)
			}
			if at < len(entry.Members) {
				u := unit
				if !bytes.Contains(entry.Members[at].Name.BeforeExtra, []byte("\n")) {
					u = "" // a one-line entry stays on one line
				}
				insertMember(entry, at, kv.key, renderJSON(kv.val, memberIndent(data, &entry.Members[at]), u))
				continue
			}
			if err := addMember(entry, eIndent, unit, kv.key, kv.val); err != nil {
				return nil, err
			}
			continue
		}
		m := &entry.Members[i]
		if got, err := decode(m.Value); err == nil && reflect.DeepEqual(normalize(got), normalize(kv.val)) {
			continue // keep the user's layout of an equal value
		}
		if err := setValue(m, memberIndent(data, m), unit, kv.val); err != nil {
			return nil, err
		}
	}
	enable(entry)
	return doc.Pack(), nil
}

// enable turns back on an entry the client switched off: "disabled": true
// becomes false and "enabled": false becomes true, in place.
func enable(entry *hujson.Object) {
	for i := range entry.Members {
		m := &entry.Members[i]
		name, _ := m.Name.Value.(hujson.Literal)
		lit, ok := m.Value.Value.(hujson.Literal)
		switch {
		case !ok:
		case name.String() == "disabled" && lit.Kind() == 't':
			m.Value.Value = hujson.Bool(false)
		case name.String() == "enabled" && lit.Kind() == 'f':
			m.Value.Value = hujson.Bool(true)
		}
	}
}

// jsonRemove deletes our entry; removed is false if there was none.
func jsonRemove(path string, data []byte, key string) (out []byte, removed bool, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return data, false, nil
	}
	doc, root, err := parseJSON(path, data)
	if err != nil {
		return nil, false, err
	}
	si := member(root, key)
	if si < 0 {
		return data, false, nil
	}
	servers, ok := root.Members[si].Value.Value.(*hujson.Object)
	if !ok {
		return data, false, nil
	}
	ei := member(servers, ServerName)
	if ei < 0 {
		return data, false, nil
	}
	removeMember(servers, ei)
	return doc.Pack(), true, nil
}
