package proxy

import (
	"encoding/json"
	"fmt"
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
//
// Among them: two tools that each define Node, recursion through every
// kind of position, and references that lead back to their own type
// (which TypeScript refuses in a type alias, so they are unknown).
func TestDeclarationTypeChecks(t *testing.T) {
	deno := testenv.Deno(t)
	tools := []*mcp.Tool{
		{Name: "echo", Description: "Echo */ back", InputSchema: schema(t, `{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}`)},
		{Name: "get-sum", InputSchema: schema(t, `{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}`),
			OutputSchema: schema(t, `{"type":"object","properties":{"sum":{"type":"number"}},"required":["sum"]}`)},
		{Name: "complex", InputSchema: schema(t, `{"type":"object","properties":{"q":{"anyOf":[{"type":"string"},{"type":"array","items":{"type":["string","number"]}}]},"o":{"type":"object","properties":{"deep":{"enum":[1,"x",null]}},"additionalProperties":true}}}`)},
		{Name: "tree", InputSchema: schema(t, nodeSchema), OutputSchema: schema(t, nodeSchema)},
		{Name: "tree2", InputSchema: schema(t, `{"type":"object","definitions":{"Node":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/definitions/Node"}},"v":{"type":"number"}}}},"properties":{"n":{"$ref":"#/definitions/Node"}}}`)},
		{Name: "pointer", InputSchema: schema(t, `{"type":"object","$defs":{"a":{"type":"object","properties":{"b":{"type":"string"}}},"b":{"type":"number"}},
			"properties":{"p":{"$ref":"#/$defs/a/properties/b"},"q":{"$ref":"#/$defs/b"},"self":{"$ref":"#"}}}`)},
		{Name: "cycles", InputSchema: schema(t, `{"type":"object","$defs":{
			"A":{"$ref":"#/$defs/B"},"B":{"$ref":"#/$defs/A"},"S":{"anyOf":[{"$ref":"#/$defs/S"},{"type":"string"}]},
			"L":{"type":"array","items":{"$ref":"#/$defs/L"}},"M":{"allOf":[{"$ref":"#/$defs/M"},{"type":"object","properties":{"k":{"type":"number"}}}]},
			"P":{"type":"object","properties":{"q":{"$ref":"#/$defs/Q"}}},"Q":{"type":"object","properties":{"p":{"$ref":"#/$defs/P"}}}},
			"properties":{"x":{"$ref":"#/$defs/A"},"y":{"$ref":"#/$defs/S"},"z":{"$ref":"#/$defs/L"},"m":{"$ref":"#/$defs/M"},"p":{"$ref":"#/$defs/P"}}}`)},
	}
	src := Declaration("my-server", tools) + `
async function use() {
  const r: { sum: number } = await my_server["get-sum"]({ a: 1, b: 2 });
  await my_server.echo({ message: "hi" });
  await my_server.complex({ q: ["a", 1], o: { deep: null, other: 1 } });
  const t = await my_server.tree({ root: { name: "r", a: { name: "a" }, d: [{ name: "d", e: null }], f: { k: { name: "k" } } } });
  const name: string = t.root.name;
  // @ts-expect-error: a node needs its name
  await my_server.tree({ root: { a: { name: "a" } } });
  await my_server.tree2({ n: { kids: [{ v: 1, kids: [] }] } });
  await my_server.pointer({ p: "a/properties/b is a string", q: 1, self: { p: "s" } });
  // @ts-expect-error: p is a's property b, a string, not the definition b
  await my_server.pointer({ p: 1 });
  await my_server.cycles({ x: 1, y: "s", z: [[[]]], m: { k: 1 }, p: { q: { p: {} } } });
  return r.sum + name.length;
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

// nodeSchema is a tree whose node has 6 children, each a node or a list of
// nodes: unfolding its references, as declarations once did, gave 1.49 MB.
const nodeSchema = `{"type":"object","$defs":{"Node":{"type":"object","description":"a tree node","properties":{
	"a":{"$ref":"#/$defs/Node"},"b":{"$ref":"#/$defs/Node"},"c":{"$ref":"#/$defs/Node"},
	"d":{"type":"array","items":{"$ref":"#/$defs/Node"}},"e":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]},
	"f":{"type":"object","additionalProperties":{"$ref":"#/$defs/Node"}},"name":{"type":"string"}},"required":["name"]}},
	"properties":{"root":{"$ref":"#/$defs/Node"}},"required":["root"]}`

func TestDeclarationRecursiveIsSmall(t *testing.T) {
	got := ToolDeclaration(&mcp.Tool{Name: "tree", InputSchema: schema(t, nodeSchema), OutputSchema: schema(t, nodeSchema)})
	if len(got) > 2048 {
		t.Fatalf("%d bytes of TypeScript for a 6-child recursive schema, want a few hundred:\n%.3000s", len(got), got)
	}
	for _, want := range []string{"type tree_Node = {", "type tree_result_Node = {", "a?: tree_Node;", "d?: tree_Node[];", "e?: tree_Node | null;", "[key: string]: tree_Node;", "(args: {\n  root: tree_Node;\n}): Promise<{\n  root: tree_result_Node;\n}>;"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "type tree_Node ="); n != 1 {
		t.Errorf("tree_Node declared %d times, want once:\n%s", n, got)
	}
}

// A $ref is the whole JSON pointer: #/$defs/a/properties/b is a's property
// b (a string), not the definition b (a number) its last segment names.
func TestDeclarationRefIsWholePointer(t *testing.T) {
	got := ToolDeclaration(&mcp.Tool{Name: "t", InputSchema: schema(t, `{"type":"object",
		"$defs":{"a":{"type":"object","properties":{"b":{"type":"string"}}},"b":{"type":"number"},"x/y":{"type":"boolean"}},
		"properties":{"p":{"$ref":"#/$defs/a/properties/b"},"q":{"$ref":"#/%24defs/b"},"r":{"$ref":"#/$defs/x~1y"},
			"self":{"$ref":"#"},"far":{"$ref":"other.json#/$defs/a"},"gone":{"$ref":"#/$defs/missing"}}}`)})
	for _, want := range []string{"type t_a_b = string;", "p?: t_a_b;", "type t_b = number;", "q?: t_b;", "type t_x_y = boolean;", "r?: t_x_y;",
		"self?: t_args;", "type t_args = {", "far?: unknown;", "gone?: unknown;"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

// A tool whose schemas would declare more than maxToolDeclBytes gets loose
// types and a note, not megabytes.
func TestDeclarationBounded(t *testing.T) {
	props := map[string]any{}
	for i := range 3000 {
		props[fmt.Sprintf("field_%d", i)] = map[string]any{"type": "string", "description": "one of very many fields of a big schema"}
	}
	got := ToolDeclaration(&mcp.Tool{Name: "big", Description: "Big", InputSchema: map[string]any{"type": "object", "properties": props}})
	if len(got) > 512 || !strings.Contains(got, "too large") || !strings.Contains(got, "big(args?: Record<string, unknown>): Promise<unknown>;") {
		t.Fatalf("%d bytes:\n%.600s", len(got), got)
	}
}
