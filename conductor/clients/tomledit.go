package clients

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Codex keeps its settings in TOML. No TOML library on the Go module proxy
// writes a document back with its comments, so the edit is surgical on the
// text: go-toml's parser locates the [mcp_servers.mcp-conductor] table (and
// its sub-tables) by byte offset, and only those lines are replaced. Keys of
// that table we do not own, comments inside it and the rest of the file are
// kept byte for byte. An entry written in another form (an inline table, or
// dotted keys under [mcp_servers]) is reported, not rewritten.

var tomlPrefix = []string{"mcp_servers", ServerName}

// tomlExpr is one top-level line (or multi-line value) of a document.
type tomlExpr struct {
	kind  unstable.Kind
	start int      // offset of the start of its line
	path  []string // table path for headers; table path + key for key/values
}

func parseTOML(path string, data []byte) (map[string]any, []tomlExpr, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		pe := &ParseError{Path: path, Err: err}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			pe.Line, pe.Column = de.Position()
			pe.Err = errors.New(de.Error())
		}
		return nil, nil, pe
	}
	p := unstable.Parser{KeepComments: true}
	p.Reset(data)
	var exprs []tomlExpr
	var table []string
	for p.NextExpression() {
		n := p.Expression()
		e := tomlExpr{kind: n.Kind}
		var keys []string
		off := int(n.Raw.Offset)
		if n.Kind != unstable.Comment {
			for it := n.Key(); it.Next(); {
				if keys == nil {
					off = int(it.Node().Raw.Offset)
				}
				keys = append(keys, string(it.Node().Data))
			}
		}
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keys
			e.path = keys
		case unstable.KeyValue:
			e.path = append(slices.Clone(table), keys...)
		}
		e.start = bytes.LastIndexByte(data[:off], '\n') + 1
		exprs = append(exprs, e)
	}
	if err := p.Error(); err != nil {
		return nil, nil, &ParseError{Path: path, Err: err}
	}
	return doc, exprs, nil
}

func hasPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && slices.Equal(path[:len(prefix)], prefix)
}

func isHeader(k unstable.Kind) bool { return k == unstable.Table || k == unstable.ArrayTable }

// tomlEntry returns our entry, decoded, if present.
func tomlEntry(path string, data []byte) (map[string]any, bool, error) {
	doc, _, err := parseTOML(path, data)
	if err != nil {
		return nil, false, err
	}
	servers, _ := doc["mcp_servers"].(map[string]any)
	e, ok := servers[ServerName].(map[string]any)
	return e, ok, nil
}

// tomlBlock is a run of expressions [from, to) belonging to our table.
type tomlBlock struct{ from, to int }

// tomlBlocks finds the runs of our table and its sub-tables.
func tomlBlocks(path string, exprs []tomlExpr) ([]tomlBlock, error) {
	var out []tomlBlock
	for i := 0; i < len(exprs); i++ {
		e := exprs[i]
		if !hasPrefix(e.path, tomlPrefix) {
			continue
		}
		if !isHeader(e.kind) {
			return nil, fmt.Errorf("%s defines mcp_servers.%s without its own [mcp_servers.%s] table; delete those lines by hand, then run register again", path, ServerName, ServerName)
		}
		j := i + 1
		for j < len(exprs) && (!isHeader(exprs[j].kind) || hasPrefix(exprs[j].path, tomlPrefix)) {
			j++
		}
		for j > i+1 && exprs[j-1].kind == unstable.Comment {
			j-- // comments before the next table belong to it
		}
		out = append(out, tomlBlock{i, j})
		i = j - 1
	}
	return out, nil
}

// span returns the bytes of expressions [from, to), without trailing blank
// lines.
func span(data []byte, exprs []tomlExpr, from, to int) (start, end int) {
	start, end = exprs[from].start, len(data)
	if to < len(exprs) {
		end = exprs[to].start
	}
	for end > start {
		ls := bytes.LastIndexByte(data[:end-1], '\n') + 1
		if !isSpace(data[ls:end]) {
			break
		}
		end = ls
	}
	return start, end
}

// tomlSet writes our entry (f) as the [mcp_servers.mcp-conductor] table.
func tomlSet(path string, data []byte, f fields) ([]byte, error) {
	doc, exprs, err := parseTOML(path, data)
	if err != nil {
		return nil, err
	}
	blocks, err := tomlBlocks(path, exprs)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := "[mcp_servers." + tomlKey(ServerName) + "]\n"
	haveHeader := false
	var kept [][]byte
	for _, bl := range blocks {
		for i := bl.from; i < bl.to; i++ {
			e := exprs[i]
			rel := e.path
			if e.kind != unstable.Comment {
				rel = e.path[len(tomlPrefix):]
			}
			j := i + 1 // a sub-table runs to the next header
			if isHeader(e.kind) && len(rel) > 0 {
				for j < bl.to && !isHeader(exprs[j].kind) {
					j++
				}
			}
			s, end := span(data, exprs, i, j)
			switch {
			case isHeader(e.kind) && len(rel) == 0:
				if !haveHeader { // keeps a comment on the header line
					header, haveHeader = string(withNL(data[s:end])), true
				}
			case len(rel) > 0 && owned(rel[0]):
				// ours: rewritten below
			case len(rel) == 1 && rel[0] == "enabled" && dig(doc, "mcp_servers", ServerName, "enabled") == false:
				kept = append(kept, []byte("enabled = true\n")) // Codex switched it off
			default:
				kept = append(kept, withNL(data[s:end]))
			}
			i = j - 1
		}
	}
	b.WriteString(header)
	for _, kv := range f {
		fmt.Fprintf(&b, "%s = %s\n", tomlKey(kv.key), tomlValue(kv.val))
	}
	for _, k := range kept {
		b.Write(k)
	}
	block := b.Bytes()

	if len(blocks) == 0 {
		out := bytes.Clone(data)
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		if len(bytes.TrimSpace(out)) > 0 && !bytes.HasSuffix(out, []byte("\n\n")) {
			out = append(out, '\n')
		}
		return append(out, block...), nil
	}
	return splice(data, exprs, blocks, block), nil
}

// tomlRemove deletes our table and its sub-tables.
func tomlRemove(path string, data []byte) ([]byte, bool, error) {
	_, exprs, err := parseTOML(path, data)
	if err != nil {
		return nil, false, err
	}
	blocks, err := tomlBlocks(path, exprs)
	if err != nil || len(blocks) == 0 {
		return data, false, err
	}
	return splice(data, exprs, blocks, nil), true, nil
}

// splice replaces the first block with repl and deletes the others. A
// deleted block also takes the blank lines after it when blank lines (or
// the start of the file) precede it, so no double gap is left.
func splice(data []byte, exprs []tomlExpr, blocks []tomlBlock, repl []byte) []byte {
	var out []byte
	last := 0
	for i, bl := range blocks {
		s, e := span(data, exprs, bl.from, bl.to)
		if i > 0 || repl == nil {
			if s == 0 || bytes.HasSuffix(data[:s], []byte("\n\n")) {
				for e < len(data) && isSpace(data[e:e+lineLen(data[e:])]) {
					e += lineLen(data[e:])
				}
			}
		}
		if repl == nil && e == len(data) { // the file's last table: drop the gap before it
			for s > 0 && bytes.HasSuffix(data[:s], []byte("\n\n")) {
				s--
			}
		}
		out = append(out, data[last:s]...)
		if i == 0 {
			out = append(out, repl...)
		}
		last = e
	}
	return append(out, data[last:]...)
}

// withNL returns a copy of b ending in a newline.
func withNL(b []byte) []byte {
	b = bytes.Clone(b)
	if !bytes.HasSuffix(b, []byte("\n")) {
		b = append(b, '\n')
	}
	return b
}

// lineLen is the length of b's first line including its '\n'.
func lineLen(b []byte) int {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return i + 1
	}
	return len(b)
}

func tomlKey(k string) string {
	for _, r := range k {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return tomlString(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

func tomlValue(v any) string {
	switch v := v.(type) {
	case string:
		return tomlString(v)
	case []string:
		q := make([]string, len(v))
		for i, s := range v {
			q[i] = tomlString(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case map[string]string:
		keys := slices.Sorted(maps.Keys(v))
		q := make([]string, len(keys))
		for i, k := range keys {
			q[i] = tomlKey(k) + " = " + tomlString(v[k])
		}
		if len(q) == 0 {
			return "{}"
		}
		return "{ " + strings.Join(q, ", ") + " }"
	}
	panic(fmt.Sprintf("clients: no TOML form for %T", v))
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
