package server

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// run_deno_code's decoder accepts what its published input schema accepts
// (and null for an optional argument, as if absent), and names what is
// wrong, in one line, when it refuses.
func TestDecodeRunAgreesWithSchema(t *testing.T) {
	resolved, err := runInputSchema().Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    string
		want    RunInput // when accepted
		refused string   // when refused: a part of the message
		lenient bool     // accepted although the schema refuses it
	}{
		{args: `{"deno_code":"1+1"}`, want: RunInput{DenoCode: "1+1"}},
		{args: `{"deno_code":"1+1","timeout":1500.5}`, want: RunInput{DenoCode: "1+1", Timeout: 1501}},
		{args: `{"deno_code":"1+1","timeout":1500.4}`, want: RunInput{DenoCode: "1+1", Timeout: 1500}},
		{args: `{"deno_code":"1+1","timeout":0.2}`, want: RunInput{DenoCode: "1+1", Timeout: 1}},
		{args: `{"deno_code":"1+1","timeout":0}`, want: RunInput{DenoCode: "1+1"}},
		{args: `{"deno_code":"1+1","timeout":1e300}`, want: RunInput{DenoCode: "1+1", Timeout: 9223372036854}},
		{args: `{"deno_code":"1+1","timeout":2e3}`, want: RunInput{DenoCode: "1+1", Timeout: 2000}},
		{args: `{"deno_code":"x","globals":{"a":1,"$b":[true]},"dependencies":["npm:zod"]}`, want: RunInput{DenoCode: "x", Globals: map[string]any{"a": 1.0, "$b": []any{true}}, Dependencies: []string{"npm:zod"}}},
		{args: `{"deno_code":"x","timeout":null,"globals":null,"dependencies":null}`, want: RunInput{DenoCode: "x"}, lenient: true},

		{args: `{"deno_code":"1","timeout":-1}`, refused: `argument "timeout" must be a non-negative number of milliseconds, got -1`},
		{args: `{"deno_code":"1","timeout":-0.2}`, refused: `"timeout" must be a non-negative number`},
		{args: `{"deno_code":"1","timeout":"1500"}`, refused: `argument "timeout" must be a number of milliseconds, got "1500"`},
		{args: `{"deno_code":"1","timeout":true}`, refused: `"timeout" must be a number`},
		{args: `{}`, refused: `argument "deno_code" is missing: run_deno_code needs the code to run, as a string`},
		{args: `{"deno_code":null}`, refused: `argument "deno_code" is missing`},
		{args: `{"deno_code":42}`, refused: `argument "deno_code" must be a string (the code to run, as a string), got 42`},
		{args: `{"deno_code":"1","extra":1}`, refused: `unknown argument "extra": run_deno_code takes only "deno_code", "timeout", "globals" and "dependencies"`},
		{args: `{"deno_code":"1","globals":[1]}`, refused: `argument "globals" must be an object of global variables by name, got [1]`},
		{args: `{"deno_code":"1","globals":{"not-an-ident":1}}`, refused: `"not-an-ident" is not a JavaScript identifier`},
		{args: `{"deno_code":"1","globals":{"1a":1}}`, refused: `"1a" is not a JavaScript identifier`},
		{args: `{"deno_code":"1","dependencies":"npm:zod"}`, refused: `argument "dependencies" must be an array of strings`},
		{args: `{"deno_code":"1","dependencies":["npm:zod",5]}`, refused: `but item 1 is 5`},
		{args: `[1]`, refused: `the arguments of run_deno_code must be a JSON object, got [1]`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			got, err := decodeRun(json.RawMessage(tt.args))
			var v any
			if e := json.Unmarshal([]byte(tt.args), &v); e != nil {
				t.Fatal(e)
			}
			schemaErr := resolved.Validate(v)
			if tt.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tt.refused) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("decodeRun: %v; want one line with %q", err, tt.refused)
				}
				if schemaErr == nil {
					t.Errorf("the published schema accepts what the decoder refuses")
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeRun: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decodeRun = %+v, want %+v", got, tt.want)
			}
			if (schemaErr == nil) == tt.lenient {
				t.Errorf("the published schema's verdict: %v (lenient %v)", schemaErr, tt.lenient)
			}
		})
	}
}

// The proxy tools refuse bad arguments the same way.
func TestParseArgsProxyTools(t *testing.T) {
	for raw, want := range map[string]string{
		`{"x":1}`:                       `unknown argument "x": list_mcp_servers takes no arguments`,
		`{"server":"a","tools":"echo"}`: `argument "tools" must be an array of strings`,
	} {
		name := "get_tool_details"
		var known []string
		if strings.Contains(raw, `"x"`) {
			name = "list_mcp_servers"
		} else {
			known = []string{"server", "tools"}
		}
		a, err := parseArgs(name, json.RawMessage(raw), known...)
		if err == nil {
			_, err = a.Strings("tools", "tool names")
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
}

// A timeout too large for a float64 is the largest a time.Duration holds.
func TestMillisOutOfRange(t *testing.T) {
	a := args{tool: "run_deno_code", m: map[string]json.RawMessage{"timeout": json.RawMessage(`1e400`)}}
	if ms, err := a.Millis("timeout"); err != nil || ms != 9223372036854 {
		t.Fatalf("Millis(1e400) = %d, %v", ms, err)
	}
}
