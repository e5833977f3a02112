// Package jsonc parses JSON with comments and trailing commas (the format of
// mcp-config.json, settings.json and most MCP clients' files) through
// github.com/tailscale/hujson, and reports syntax errors as a typed
// SyntaxError with line and column.
//
// hujson gives a position only inside its error text ("hujson: line L,
// column C: …"); Parse is the one place that reads it, and its test pins
// that format, so a change in hujson fails a test instead of the messages.
package jsonc

import (
	"errors"
	"fmt"

	"github.com/tailscale/hujson"
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
	if _, scanErr := fmt.Sscanf(err.Error(), "hujson: line %d, column %d:", &se.Line, &se.Column); scanErr != nil {
		se.Line, se.Column = 0, 0
	}
	return v, se
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
