package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestRunReturnsLastExpression(t *testing.T) {
	c := startConductor(t)
	tests := []struct {
		name string
		code string
		want any
	}{
		{"arithmetic", "const x = 5 + 3; x", 8.0},
		{"semicolon in string", "console.log('a;b'); 42", 42.0},
		{"for loop then string", "for (;;) { break }\n\"done\"", "done"},
		{"multi-line object", "const n = 1\n;({\n  name: 'test',\n  value: 42,\n  n,\n})", map[string]any{"name": "test", "value": 42.0, "n": 1.0}},
		{"ends with })", "[1, 2, 3].map((x) => {\n  return x * 2\n})", []any{2.0, 4.0, 6.0}},
		{"import node builtin", "import { join } from 'node:path'\njoin('a', 'b')", "a" + string(filepath.Separator) + "b"},
		{"no final expression", "const x = 1;", nil},
		{"top-level await", "await Promise.resolve(123)", 123.0},
		{"typescript", "interface P { x: number }\nconst p: P = { x: 2 }\nfunction sq(n: number): number { return n * n }\nsq(p.x) as number", 4.0},
		{"null", "null", nil},
		{"false", "false", false},
		{"zero", "0", 0.0},
		{"bigint", "10n ** 20n", "100000000000000000000n"},
		{"function", "(function named() {})", "[Function: named]"},
		{"circular", "const o: any = { a: 1 }; o.self = o; o", map[string]any{"a": 1.0, "self": "[Circular]"}},
		{"undefined", "undefined", nil},
		{"date", "new Date(0)", "1970-01-01T00:00:00.000Z"},
		{"map and set", "[new Map([['k', 1]]), new Set([1, 2])]", []any{map[string]any{"k": 1.0}, []any{1.0, 2.0}}},
		{"NaN", "NaN", "NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.code, nil).mustSucceed(t)
			if !reflect.DeepEqual(r.ReturnValue, tt.want) {
				t.Errorf("returnValue = %#v, want %#v", r.ReturnValue, tt.want)
			}
		})
	}
}

func TestRunCapturesOutputAndErrors(t *testing.T) {
	c := startConductor(t)
	r := c.run("console.log('hello'); console.error('oops'); 1", nil).mustSucceed(t)
	if r.Stdout != "hello\n" || r.Stderr != "oops\n" {
		t.Errorf("stdout=%q stderr=%q", r.Stdout, r.Stderr)
	}
	if r.ExecutionTimeMs <= 0 {
		t.Errorf("executionTimeMs = %v", r.ExecutionTimeMs)
	}
	if strings.Contains(string(r.raw), `"error"`) {
		t.Errorf("success result carries an error field: %s", r.raw)
	}

	r = c.run("const x = {{{", nil).mustFail(t, "syntax")
	if !strings.Contains(r.Error.Message, "line 1") {
		t.Errorf("syntax error should name the line: %q", r.Error.Message)
	}
	r = c.run("console.log('before')\nthrow new Error('Test error')", nil).mustFail(t, "runtime")
	if !strings.Contains(r.Error.Message, "Test error") || r.Stdout != "before\n" {
		t.Errorf("runtime error: %s", r.raw)
	}
	// A user-level SyntaxError at run time is a runtime error, not a syntax one.
	c.run("JSON.parse('{nope')", nil).mustFail(t, "runtime")
	c.run("await Promise.reject(new Error('rejected'))", nil).mustFail(t, "runtime")
	c.run("Promise.reject(new Error('unhandled')); 1", nil).mustFail(t, "runtime")
	r = c.run("Deno.exit(3)", nil).mustFail(t, "runtime")
	if !strings.Contains(r.Error.Message, "code 3") {
		t.Errorf("exit code not reported: %s", r.Error.Message)
	}
	c.run("console.log('x'); Deno.exit(0)", nil).mustSucceed(t)
	r = c.run("await Deno.readTextFile('/nonexistent')", nil).mustFail(t, "permission")
	if !strings.Contains(r.Error.Message, "read access") {
		t.Errorf("permission message: %s", r.Error.Message)
	}
	r = c.run("setTimeout(() => console.log('later'), 20); 'now'", nil).mustSucceed(t)
	if r.ReturnValue != "now" || r.Stdout != "later\n" {
		t.Errorf("timers after the last expression: %s", r.raw)
	}
}

func TestRunGlobals(t *testing.T) {
	c := startConductor(t)
	r := c.run("x + y + cfg.n", map[string]any{"globals": map[string]any{"x": 10, "y": 20, "cfg": map[string]any{"n": 1}}}).mustSucceed(t)
	if r.ReturnValue != 31.0 {
		t.Errorf("globals sum = %v", r.ReturnValue)
	}
	r = c.run("let r = 'writable'\ntry { cfg.n = 5 } catch (e) { r = 'frozen' }\nr", map[string]any{"globals": map[string]any{"cfg": map[string]any{"n": 1}}}).mustSucceed(t)
	if r.ReturnValue != "frozen" {
		t.Errorf("globals must be read-only, got %v", r.ReturnValue)
	}
	r = c.run("try { globalThis.x = 99 } catch {}\nx", map[string]any{"globals": map[string]any{"x": 1}}).mustSucceed(t)
	if r.ReturnValue != 1.0 {
		t.Errorf("global was replaced: %v", r.ReturnValue)
	}
	// A name that is not an identifier is a bad argument: refused before
	// anything runs.
	c.run("1", map[string]any{"globals": map[string]any{"my-var": 1}}).mustFail(t, "input")
}

func TestToolSchemas(t *testing.T) {
	c := startConductor(t)
	res, err := c.session.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*mcp.Tool{}
	for _, tool := range res.Tools {
		byName[tool.Name] = tool
	}
	for _, name := range []string{"run_deno_code", "list_mcp_servers", "get_tool_details", "search_tools", "save_skill", "list_skills"} {
		if byName[name] == nil {
			t.Fatalf("tool %s missing", name)
		}
	}
	run := byName["run_deno_code"]
	in, _ := json.Marshal(run.InputSchema)
	out, _ := json.Marshal(run.OutputSchema)
	for _, field := range []string{"deno_code", "timeout", "globals", "dependencies"} {
		if !strings.Contains(string(in), `"`+field+`"`) {
			t.Errorf("input schema lacks %s: %s", field, in)
		}
	}
	for _, field := range []string{"status", "returnValue", "stdout", "stderr", "error", "executionTimeMs"} {
		if !strings.Contains(string(out), `"`+field+`"`) {
			t.Errorf("output schema lacks %s: %s", field, out)
		}
	}
	if !strings.Contains(run.Description, "Permissions: none") {
		t.Errorf("the description should tell the model it has no permissions:\n%s", run.Description)
	}
}
