package jsonc

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestSyntaxErrorPosition(t *testing.T) {
	_, err := Parse([]byte("{\n  \"a\": 1,\n  \"b\": tru\n}"))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || se.Column == 0 || se.Msg == "" || se.Msg[0] == 'h' {
		t.Fatalf("err = %#v", err)
	}
	got, err := Standard([]byte("{\"a\": 1, // c\n}"))
	var v map[string]int
	if err != nil || json.Unmarshal(got, &v) != nil || v["a"] != 1 || len(v) != 1 {
		t.Errorf("Standard = %q, %v", got, err)
	}
}
