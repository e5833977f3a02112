package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// An invalid argument comes back in run_deno_code's documented failure
// shape: isError, structuredContent {status, returnValue, stdout, stderr,
// error {type: "input", message}, executionTimeMs}, and the same JSON as
// text. Nothing runs (the server here has no runner).
func TestRunArgumentErrorShape(t *testing.T) {
	s := New(config.Policy{}, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	ct, st := mcp.NewInMemoryTransports()
	if _, err := s.MCP().Connect(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	sess, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for _, args := range []map[string]any{
		{"deno_code": "1", "timeout": -5},
		{"deno_code": 7},
		{},
		{"deno_code": "1", "unknown": true},
	} {
		res, err := sess.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: args})
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !res.IsError || res.StructuredContent == nil || len(res.Content) != 1 {
			t.Fatalf("%v: isError %v, structuredContent %v, content %v", args, res.IsError, res.StructuredContent, res.Content)
		}
		var fromText, structured map[string]any
		if err := json.Unmarshal([]byte(res.Content[0].(*mcp.TextContent).Text), &fromText); err != nil {
			t.Fatalf("%v: the text is not JSON: %v", args, err)
		}
		b, _ := json.Marshal(res.StructuredContent)
		json.Unmarshal(b, &structured)
		e, _ := structured["error"].(map[string]any)
		msg, _ := e["message"].(string)
		if structured["status"] != "error" || structured["returnValue"] != nil || structured["stdout"] != "" || structured["stderr"] != "" ||
			e["type"] != "input" || msg == "" || strings.Contains(msg, "\n") || structured["executionTimeMs"] == nil {
			t.Errorf("%v: %s", args, b)
		}
		if _, ok := structured["returnValue"]; !ok {
			t.Errorf("%v: no returnValue in %s", args, b)
		}
		if got, _ := json.Marshal(fromText); string(got) != string(mustJSON(t, structured)) {
			t.Errorf("%v: text %s differs from structuredContent %s", args, got, b)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
