// Package jsonc parses JSON with comments and trailing commas (the format of
// mcp-config.json, settings.json and most MCP clients' files) through
// github.com/tailscale/hujson, and reports syntax errors as a typed
// SyntaxError with line and column.
//
// hujson gives a position only inside its error text. Rather than read that
// text back, a document hujson refuses is turned into plain JSON of the same
// length, with the same line breaks at the same offsets
// (github.com/tidwall/jsonc), and encoding/json's *json.SyntaxError gives the
// byte offset of the fault as a number.
package jsonc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tailscale/hujson"
	tidwall "github.com/tidwall/jsonc"
)

// SyntaxError is a document that does not parse.
type SyntaxError struct {
	Line, Column int    // 1-based; 0 when unknown
	Msg          string // what is wrong, without the position
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Parse parses data as JSONC.
func Parse(data []byte) (hujson.Value, error) {
	v, err := hujson.Parse(data)
	if err == nil {
		return v, nil
	}
	se := &SyntaxError{Msg: err.Error()}
	if inner := errors.Unwrap(err); inner != nil {
		se.Msg = inner.Error()
	}
	conv := tidwall.ToJSON(data)
	var jse *json.SyntaxError
	switch err := json.Unmarshal(conv, new(any)); {
	case errors.As(err, &jse):
		se.Msg = jse.Error()
		se.Line, se.Column = lineColumn(data, int(jse.Offset))
	case err == nil:
		if at := strayComma(data, conv); at >= 0 {
			se.Msg = "a comma with no value before it"
			se.Line, se.Column = lineColumn(data, at+1)
		}
	}
	return v, se
}

// strayComma returns the offset of a comma that tidwall.ToJSON removed
// although no value comes before it ("{,}", "[1,,]"), or -1. ToJSON drops
// every comma before a closing bracket, but JSONC allows one only after a
// value, so hujson refuses these documents while the converted JSON is
// valid. conv is ToJSON(data): the same length, comments and dropped commas
// turned into spaces. Written here because neither library reports it.
func strayComma(data, conv []byte) int {
	prev := byte('[') // as if the document were an element of an array
	for i := 0; i < len(conv); i++ {
		blanked := conv[i] == ' ' && data[i] != ' '
		switch {
		case blanked && data[i] == '/' && i+1 < len(data) && data[i+1] == '/':
			if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(data)
			}
		case blanked && data[i] == '/' && i+1 < len(data) && data[i+1] == '*':
			if j := bytes.Index(data[i+2:], []byte("*/")); j >= 0 {
				i += 2 + j + 1
			} else {
				i = len(data)
			}
		case blanked && data[i] == ',':
			if prev == '{' || prev == '[' || prev == ',' {
				return i
			}
			prev = ','
		case conv[i] != ' ' && conv[i] != '\t' && conv[i] != '\n' && conv[i] != '\r':
			prev = conv[i]
		}
	}
	return -1
}

// lineColumn is the 1-based line and column (in bytes) of offset n: the
// place of the byte before n, where encoding/json stopped.
func lineColumn(data []byte, n int) (line, column int) {
	n = max(0, min(n-1, len(data)))
	line = 1 + bytes.Count(data[:n], []byte("\n"))
	column = 1 + n - (bytes.LastIndexByte(data[:n], '\n') + 1)
	return line, column
}

// Standard parses data as JSONC and returns it as standard JSON.
func Standard(data []byte) ([]byte, error) {
	v, err := Parse(data)
	if err != nil {
		return nil, err
	}
	v.Standardize()
	return v.Pack(), nil
}
