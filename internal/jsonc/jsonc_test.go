package jsonc

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestSyntaxErrorPosition(t *testing.T) {
	for _, tc := range []struct {
		name         string
		doc          string
		line, column int
	}{
		{"bad literal", "{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 11},
		{"after a comment", "{\n  // a comment, with \"quotes\"\n  \"a\": 1\n  \"b\": 2\n}", 4, 3},
		{"missing colon", "{\"a\" 1}", 1, 6},
		{"unterminated", "{\n  \"a\": [1, 2", 2, 12},
		{"after a block comment", "/* x\n y */ {\"a\": }", 2, 13},
		{"a comma first", "{\n\"mcpServers\": {,}}", 2, 16},
		{"two commas", "[1,\n  ,]", 2, 4},
		{"a stray comma after comments", "{ // a, b\n  /* {, */ \"a\": 1,\n  , }", 3, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %#v, want *SyntaxError", err)
			}
			if se.Line != tc.line || se.Column != tc.column || se.Msg == "" {
				t.Errorf("got line %d, column %d (%q), want line %d, column %d", se.Line, se.Column, se.Msg, tc.line, tc.column)
			}
		})
	}
}

func TestStandard(t *testing.T) {
	got, err := Standard([]byte("{\"a\": 1, // c\n}"))
	var v map[string]int
	if err != nil || json.Unmarshal(got, &v) != nil || v["a"] != 1 || len(v) != 1 {
		t.Errorf("Standard = %q, %v", got, err)
	}
}
