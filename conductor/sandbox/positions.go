package sandbox

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-sourcemap/sourcemap"
)

// positions maps a position in the JavaScript that runs (what V8 reports in
// a stack trace) back to the code the caller submitted, in two steps: the
// compiler's source map leads to the text that was compiled, and that
// text's layout (pieces of the submitted code, and wrapper text inserted
// around the final expression) leads to the submitted code.
type positions struct {
	mapJSON []byte    // the compiler's source map, parsed when first needed
	src     string    // the text compiled
	code    string    // the submitted code
	segs    []segment // src, piece by piece

	once sync.Once
	sm   *sourcemap.Consumer
}

// segment is a piece of the compiled text: copied from code at from, or
// inserted (from < 0).
type segment struct {
	at, n, from int
}

// original maps a 1-based line and column of the running JavaScript to the
// submitted code's; ok is false when the position is not in the code.
func (p *positions) original(line, col int) (int, int, bool) {
	if p == nil {
		return 0, 0, false
	}
	// Parsed only for an error: most executions never need it.
	p.once.Do(func() { p.sm, _ = sourcemap.Parse("code.ts.map", p.mapJSON) })
	if p.sm == nil {
		return 0, 0, false
	}
	_, _, sline, scol, ok := p.sm.Source(line, col-1)
	if !ok {
		return 0, 0, false
	}
	off := offsetOf(p.src, sline, scol)
	for i, s := range p.segs {
		if off < s.at || off >= s.at+s.n {
			continue
		}
		if s.from < 0 { // wrapper text: the expression it wraps
			for _, next := range p.segs[i+1:] {
				if next.from >= 0 {
					l, c := lineColOf(p.code, next.from)
					return l, c + 1, true
				}
			}
			return 0, 0, false
		}
		l, c := lineColOf(p.code, s.from+off-s.at)
		return l, c + 1, true
	}
	return 0, 0, false
}

// offsetOf is the byte offset of a 1-based line and 0-based column counted,
// as source maps and V8 count them, in UTF-16 units.
func offsetOf(s string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(s[off:], '\n')
		if i < 0 {
			return len(s)
		}
		off += i + 1
	}
	for units := 0; off < len(s) && s[off] != '\n' && units < col; {
		r, n := utf8.DecodeRuneInString(s[off:])
		units += len(utf16.Encode([]rune{r}))
		off += n
	}
	return off
}

// lineColOf is the 1-based line and 0-based UTF-16 column of a byte offset.
func lineColOf(s string, off int) (int, int) {
	off = min(off, len(s))
	line := 1 + strings.Count(s[:off], "\n")
	start := strings.LastIndexByte(s[:off], '\n') + 1
	col := 0
	for _, r := range s[start:off] {
		col += len(utf16.Encode([]rune{r}))
	}
	return line, col
}

// rewrite replaces every position of the running module in a stack trace
// or message ("<module URL>:L:C", the URL as V8 printed it, perhaps
// shortened) with "code.ts:L:C" in the submitted code.
// A nil *positions only renames the URL.
func (p *positions) rewrite(s string) string {
	return codePositionRe().ReplaceAllStringFunc(s, func(m string) string {
		sub := codePositionRe().FindStringSubmatch(m)
		if sub[1] == "" {
			return "code.ts"
		}
		line, _ := strconv.Atoi(sub[2])
		col, _ := strconv.Atoi(sub[3])
		if l, c, ok := p.original(line, col); ok {
			line, col = l, c
		}
		return "code.ts:" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
	})
}
