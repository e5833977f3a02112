package proxy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func schema(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestToolDeclaration(t *testing.T) {
	tests := []struct {
		name, in, out string
		want          []string
	}{
		{"simple", `{"type":"object","properties":{"message":{"type":"string","description":"Text to echo"}},"required":["message"]}`, "",
			[]string{"/** Text to echo */", "message: string;", "(args: {", "Promise<unknown>"}},
		{"optional and arrays", `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},"n":{"type":"integer"}}}`, "",
			[]string{"tags?: string[];", "n?: number;", "(args?: {"}},
		{"enum and union", `{"type":"object","properties":{"mode":{"enum":["a","b"]},"v":{"anyOf":[{"type":"string"},{"type":"null"}]},"t":{"type":["number","null"]}},"required":["mode"]}`, "",
			[]string{`mode: "a" | "b";`, "v?: string | null;", "t?: number | null;"}},
		{"refs and maps", `{"type":"object","$defs":{"P":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}},"properties":{"p":{"$ref":"#/$defs/P"},"m":{"type":"object","additionalProperties":{"type":"boolean"}}}}`, "",
			[]string{"x: number;", "m?: Record<string, boolean>;"}},
		{"odd names and output", `{"type":"object","properties":{"file-path":{"type":"string"}},"required":["file-path"]}`, `{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}`,
			[]string{`"file-path": string;`, "Promise<{", "ok: boolean;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tool := &mcp.Tool{Name: "do_it", Description: "Does it", InputSchema: schema(t, tt.in)}
			if tt.out != "" {
				tool.OutputSchema = schema(t, tt.out)
			}
			got := ToolDeclaration(tool)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
}

// The generated declarations must be valid TypeScript: Deno type-checks them.
func TestDeclarationTypeChecks(t *testing.T) {
	deno := testenv.Deno(t)
	tools := []*mcp.Tool{
		{Name: "echo", Description: "Echo */ back", InputSchema: schema(t, `{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}`)},
		{Name: "get-sum", InputSchema: schema(t, `{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}`),
			OutputSchema: schema(t, `{"type":"object","properties":{"sum":{"type":"number"}},"required":["sum"]}`)},
		{Name: "complex", InputSchema: schema(t, `{"type":"object","properties":{"q":{"anyOf":[{"type":"string"},{"type":"array","items":{"type":["string","number"]}}]},"o":{"type":"object","properties":{"deep":{"enum":[1,"x",null]}},"additionalProperties":true}}}`)},
	}
	src := Declaration("my-server", tools) + `
async function use() {
  const r: { sum: number } = await my_server["get-sum"]({ a: 1, b: 2 });
  await my_server.echo({ message: "hi" });
  await my_server.complex({ q: ["a", 1], o: { deep: null, other: 1 } });
  return r.sum;
}
export { use };
`
	dir := t.TempDir()
	f := filepath.Join(dir, "decl.ts")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(deno, "check", "--no-config", "--quiet", f)
	cmd.Env = []string{"DENO_DIR=" + filepath.Join(dir, "cache"), "NO_COLOR=1", "HOME=" + dir}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("deno check: %v\n%s\n%s", err, out, src)
	}
}
