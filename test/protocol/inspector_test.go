package protocol

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// inspector runs the MCP Inspector's CLI against `mcp-conductor --stdio`
// with args, and returns its JSON output (--format json), its stderr and
// its exit code.
func inspector(t *testing.T, args ...string) (out map[string]any, stderr string, code int) {
	t.Helper()
	env, _ := home(t)
	cli := []string{tool(t, "@modelcontextprotocol/inspector/clients/launcher/build/index.js"), "--cli", "--format", "json"}
	cli = append(cli, args...)
	// The server's environment: the Inspector passes on only a few of its
	// own variables (HOME, PATH, ...) and these.
	for _, kv := range env {
		cli = append(cli, "-e", kv)
	}
	cli = append(cli, testenv.Binary(t), "--stdio")
	stdout, stderr, code := run(t, env, node22(t), cli...)
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("the Inspector's output is not JSON (exit %d): %v\n%s\n%s", code, err, stdout, stderr)
	}
	return out, stderr, code
}

// tools/list passes the Inspector's strict schema checks with no finding,
// warnings included.
func TestInspectorStrictToolsList(t *testing.T) {
	out, stderr, code := inspector(t, "--method", "tools/list", "--strict")
	if code != 0 || out["schemaFindings"] != nil || strings.Contains(stderr, "Path:") {
		b, _ := json.MarshalIndent(out["schemaFindings"], "", "  ")
		t.Fatalf("inspector --strict: exit %d\nfindings: %s\n%s", code, b, stderr)
	}
	tools, _ := out["result"].(map[string]any)["tools"].([]any)
	var names []string
	for _, tl := range tools {
		names = append(names, tl.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "get_tool_details,list_mcp_servers,list_skills,run_deno_code,run_python_code,save_skill,search_tools" {
		t.Errorf("tools: %v", names)
	}
}

// run_python_code answers the Inspector in the same envelope, a failure
// with its traceback.
func TestInspectorCallsRunPythonCode(t *testing.T) {
	out, stderr, code := inspector(t, "--method", "tools/call", "--tool-name", "run_python_code", "--tool-arg", "python_code=sum(range(10))")
	res, _ := out["result"].(map[string]any)
	sc, _ := res["structuredContent"].(map[string]any)
	if code != 0 || sc["status"] != "success" || sc["returnValue"] != 45.0 {
		t.Fatalf("sum(range(10)): exit %d, %v\n%s", code, out, stderr)
	}
	out, stderr, code = inspector(t, "--method", "tools/call", "--tool-name", "run_python_code", "--tool-arg", "python_code=1/0")
	res, _ = out["result"].(map[string]any)
	sc, _ = res["structuredContent"].(map[string]any)
	e, _ := sc["error"].(map[string]any)
	if code != 5 || res["isError"] != true || e["type"] != "runtime" || !strings.Contains(fmt.Sprint(e["message"]), "ZeroDivisionError") {
		t.Fatalf("1/0: exit %d, %v\n%s", code, out, stderr)
	}
}

// The Inspector sends --tool-arg values typed by the input schema: a
// timeout of 1500.5 is a number, and runs; a negative one fails in the
// documented shape.
func TestInspectorCallsRunDenoCode(t *testing.T) {
	out, stderr, code := inspector(t, "--method", "tools/call", "--tool-name", "run_deno_code", "--tool-arg", "deno_code=6 * 7", "timeout=1500.5")
	res, _ := out["result"].(map[string]any)
	sc, _ := res["structuredContent"].(map[string]any)
	if code != 0 || sc["status"] != "success" || sc["returnValue"] != 42.0 {
		t.Fatalf("timeout=1500.5: exit %d, %v\n%s", code, out, stderr)
	}

	out, stderr, code = inspector(t, "--method", "tools/call", "--tool-name", "run_deno_code", "--tool-arg", "deno_code=1", "timeout=-1")
	res, _ = out["result"].(map[string]any)
	sc, _ = res["structuredContent"].(map[string]any)
	e, _ := sc["error"].(map[string]any)
	content, _ := res["content"].([]any)
	if code != 5 || res["isError"] != true || e["type"] != "input" || len(content) != 1 {
		t.Fatalf("timeout=-1: exit %d (want 5, the tool's isError), %v\n%s", code, out, stderr)
	}
	var fromText map[string]any
	if err := json.Unmarshal([]byte(content[0].(map[string]any)["text"].(string)), &fromText); err != nil || fromText["error"].(map[string]any)["type"] != "input" {
		t.Errorf("the text is not the result's JSON: %v %v", content, err)
	}
}
