package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Every result the real binary gives, failures included, matches the
// output schema it publishes, and carries the same JSON as text.
func TestResultsMatchPublishedSchemas(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), upstreams(t, home))
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=s3cr3t-value")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	list, err := c.session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]*jsonschema.Resolved{}
	for _, tool := range list.Tools {
		var s jsonschema.Schema
		b, _ := json.Marshal(tool.OutputSchema)
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: output schema: %v", tool.Name, err)
		}
		if schemas[tool.Name], err = s.Resolve(nil); err != nil {
			t.Fatalf("%s: output schema: %v", tool.Name, err)
		}
	}
	calls := []struct {
		tool    string
		args    map[string]any
		isError bool
	}{
		{"run_deno_code", map[string]any{"deno_code": "const x = 5 + 3; x"}, false},
		{"run_deno_code", map[string]any{"deno_code": "console.log('hi'); ({a: [1, null], b: 10n})", "timeout": 1500.5}, false},
		{"run_deno_code", map[string]any{"deno_code": `const ev = await mcpFactory.load("everything"); await ev.echo({ message: "hi" })`}, false},
		{"run_deno_code", map[string]any{"deno_code": "let let = 1"}, true},
		{"run_deno_code", map[string]any{"deno_code": "throw new Error('boom')"}, true},
		{"run_deno_code", map[string]any{"deno_code": "1", "timeout": "soon"}, true},
		{"run_deno_code", map[string]any{"timeout": 5}, true},
		{"list_mcp_servers", nil, false},
		{"get_tool_details", map[string]any{"server": "everything"}, false},
		{"get_tool_details", map[string]any{"server": "everything", "tools": []string{"echo"}}, false},
		{"search_tools", map[string]any{"query": "echo message"}, false},
		{"search_tools", map[string]any{"query": "add numbers", "server": "everything", "detail": "full", "limit": 2}, false},
		{"search_tools", map[string]any{"query": "echo", "detail": "names"}, false},
		{"save_skill", map[string]any{"name": "protocol-check", "description": "Doubles a number.", "source": "export function double(n: number): number { return 2 * n }"}, false},
		{"list_skills", nil, false},
	}
	for _, call := range calls {
		res, err := c.session.CallTool(ctx, &mcp.CallToolParams{Name: call.tool, Arguments: call.args})
		if err != nil {
			t.Fatalf("%s %v: %v", call.tool, call.args, err)
		}
		b, _ := json.Marshal(res.StructuredContent)
		if res.IsError != call.isError || res.StructuredContent == nil {
			t.Errorf("%s %v: isError %v, structuredContent %s", call.tool, call.args, res.IsError, b)
			continue
		}
		var v any
		json.Unmarshal(b, &v)
		if err := schemas[call.tool].Validate(v); err != nil {
			t.Errorf("%s %v: the result does not match the published output schema: %v\n%s", call.tool, call.args, err, b)
		}
		var fromText any
		if len(res.Content) != 1 || json.Unmarshal([]byte(res.Content[0].(*mcp.TextContent).Text), &fromText) != nil {
			t.Errorf("%s %v: the text is not the result's JSON: %+v", call.tool, call.args, res.Content)
		} else if a, _ := json.Marshal(fromText); string(a) != string(mustMarshal(v)) {
			t.Errorf("%s %v: text %s, structuredContent %s", call.tool, call.args, a, b)
		}
	}
}

// run_deno_code's timeout is a number, as the README says, and a bad
// argument fails in the documented shape with error type input.
func TestRunArguments(t *testing.T) {
	c := startConductor(t)
	c.run("await new Promise((r) => setTimeout(r, 10)); 'ok'", map[string]any{"timeout": 1500.5}).mustSucceed(t)
	for _, tt := range []struct {
		extra map[string]any
		want  string
	}{
		{map[string]any{"timeout": -1}, `argument "timeout" must be a non-negative number of milliseconds, got -1`},
		{map[string]any{"timeout": "1500"}, `argument "timeout" must be a number of milliseconds, got "1500"`},
		{map[string]any{"globals": map[string]any{"a-b": 1}}, `argument "globals": "a-b" is not a JavaScript identifier`},
		{map[string]any{"dependencies": "npm:zod"}, `argument "dependencies" must be an array of strings`},
		{map[string]any{"code": "1"}, `unknown argument "code": run_deno_code takes only "deno_code", "timeout", "globals" and "dependencies"`},
	} {
		r := c.run("1", tt.extra).mustFail(t, "input")
		if !strings.Contains(r.Error.Message, tt.want) || strings.Contains(r.Error.Message, "\n") || r.ReturnValue != nil || r.Stdout != "" || r.Stderr != "" {
			t.Errorf("%v: %s; want one line with %q", tt.extra, r.raw, tt.want)
		}
	}
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
