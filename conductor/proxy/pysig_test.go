package proxy

import (
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestPythonSignature(t *testing.T) {
	cases := []struct {
		name string
		tool *mcp.Tool
		want string
	}{
		{"typed", &mcp.Tool{Name: "search_issues", Description: "Search issues.\nMore.", InputSchema: map[string]any{
			"type": "object", "required": []any{"q"},
			"properties": map[string]any{
				"q":     map[string]any{"type": "string"},
				"page":  map[string]any{"type": "integer"},
				"state": map[string]any{"enum": []any{"open", "closed"}},
				"tags":  map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
				"x":     map[string]any{"anyOf": []any{map[string]any{"type": "number"}, map[string]any{"type": "null"}}},
			}}},
			`async def search_issues(self, args: dict | None = None, *, q: str, page: int | None = None, state: Literal["open", "closed"] | None = None, tags: list[str] | None = None, x: float | None = None) -> Any:
    "Search issues."`},
		{"no arguments", &mcp.Tool{Name: "ping", InputSchema: map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": false}},
			`async def ping(self, args: dict | None = None) -> Any: ...`},
		{"a name Python cannot spell", &mcp.Tool{Name: "get-env", InputSchema: map[string]any{"type": "object", "properties": map[string]any{"with-dash": map[string]any{"type": "string"}, "class": map[string]any{"type": "string"}}}},
			"# await srv.call_tool(\"get-env\", {...})\nasync def call_tool(self, tool: Literal[\"get-env\"], args: dict | None = None, **arguments: Any) -> Any: ..."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PythonSignature(c.tool); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}
