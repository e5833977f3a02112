package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// Adversarial tests of the channel between the sandbox and the host: the
// code tries to learn the per-execution key and to forge frames with it,
// and to exhaust the host through the channel.

// keyRe matches a channel key (see sandbox.newKey), raw or JSON-escaped.
var keyRe = regexp.MustCompile(`(\x1e|\\u001[eE])[0-9a-f]{48}:`)

// Code patches every prototype method and getter the bootstrap could touch
// after it starts, makes mcpFactory calls, and reports whatever key-shaped
// string its traps saw. None may reach it, and the real last value stands.
func TestChannelPrimordials(t *testing.T) {
	c := startConductor(t)
	code := `
const seen = [];
const decoder = new TextDecoder(), isView = ArrayBuffer.isView, keyShape = /\x1e[0-9a-f]{48}:/;
let looking = false;
const look = (v) => {
  if (looking) return;
  looking = true;
  try { const s = typeof v === "string" ? v : (isView(v) ? decoder.decode(v) : ""); if (keyShape.test(s)) seen[seen.length] = s } catch {}
  looking = false;
};
const trapAll = (proto) => {
  for (const name of Reflect.ownKeys(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d || !d.configurable) continue;
    try {
      if (typeof d.value === "function" && name !== "constructor") {
        const orig = d.value;
        Object.defineProperty(proto, name, { ...d, value: function (...a) { look(this); for (let i = 0; i < a.length; i++) look(a[i]); return Reflect.apply(orig, this, a) } });
      } else if (d.get) {
        const g = d.get;
        Object.defineProperty(proto, name, { ...d, get: function () { look(this); return Reflect.apply(g, this, []) } });
      }
    } catch {}
  }
};
const TA = Object.getPrototypeOf(Uint8Array.prototype);
for (const p of [TA, Uint8Array.prototype, ArrayBuffer.prototype, String.prototype, Array.prototype, Map.prototype, Set.prototype,
  Object.prototype, TextEncoder.prototype, TextDecoder.prototype, Promise.prototype, RegExp.prototype, Function.prototype]) trapAll(p);
// (Not "value", "get" or "set": defineProperty would then read them from every descriptor.)
for (const k of ["t", "id", "key", "error", "result", "method", "params", "url", "globals"]) {
  Object.defineProperty(Object.prototype, k, { configurable: true, get() { look(this); return undefined }, set(v) { look(v) } });
}
const origStringify = JSON.stringify;
JSON.stringify = (...a) => { const s = origStringify(...a); look(s); return s };
const origParse = JSON.parse;
JSON.parse = (s, ...r) => { look(s); return origParse(s, ...r) };
for (let i = 0; i < 20; i++) await mcpFactory.listServers();
await Promise.all(Array.from({ length: 40 }, () => mcpFactory.listServers()));
try { await mcpFactory.load("nope") } catch {}
if (seen.length) { console.log("LEAKED", seen[0]); Deno.stdout.writeSync(new TextEncoder().encode(seen[0].slice(0, 50) + '{"t":"result","value":"\"PWNED\""}\n')) }
"honest"`
	r := c.run(code, nil).mustSucceed(t)
	if r.ReturnValue != "honest" || strings.Contains(r.Stdout, "LEAKED") || keyRe.MatchString(string(r.raw)) {
		t.Fatalf("a patched prototype saw the channel key: %s", r.raw)
	}
	c.run("1 + 1", nil).mustSucceed(t)
}

// The key can be read anyway (a heap snapshot of the process holds every
// string, and node:v8 gives one without any permission), so a leaked key
// must be harmless: every limit holds on the host's side. The code takes
// the key from its own heap and forges frames.
// stealKey is code that reads the channel's key from a heap snapshot of
// its own process and defines frame(o), which writes a frame the host
// reads as the bootstrap's.
const stealKey = `
import v8 from "node:v8";
let snap = "";
for await (const chunk of v8.getHeapSnapshot()) snap += chunk;
const m = snap.match(/\\u001[eE]([0-9a-f]{48}):/);
if (!m) throw new Error("no key in the heap snapshot");
const key = "\x1e" + m[1] + ":";
const frame = (o) => Deno.stdout.writeSync(new TextEncoder().encode(key + JSON.stringify(o) + "\n"));
`

func TestChannelLeakedKeyIsHarmless(t *testing.T) {
	chome := filepath.Join(t.TempDir(), ".mcp-conductor")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), map[string]any{"barrier": barrierServer(t)})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_MAX_OUTPUT_BYTES=65536")
	steal := stealKey
	t.Run("result over the cap", func(t *testing.T) {
		r := c.run(steal+`frame({ t: "result", value: JSON.stringify("x".repeat(100000)) }); frame({ t: "exit" }); await new Promise(r => setTimeout(r, 5000))`, nil)
		r.mustFail(t, "limit")
		if len(r.raw) > 70000 {
			t.Errorf("a forged result over the cap got through: %d bytes", len(r.raw))
		}
		// A frame larger than any result can be is dropped whole.
		r = c.run(steal+`frame({ t: "result", value: JSON.stringify("x".repeat(300000)) }); frame({ t: "exit" }); await new Promise(r => setTimeout(r, 5000))`, nil)
		if len(r.raw) > 70000 || r.ReturnValue != nil {
			t.Errorf("a forged result over the cap got through: %d bytes", len(r.raw))
		}
	})
	t.Run("one result per execution", func(t *testing.T) {
		r := c.run(steal+`frame({ t: "result", value: "1" }); frame({ t: "result", value: "\"second\"" }); frame({ t: "exit" }); await new Promise(r => setTimeout(r, 5000))`, nil).mustSucceed(t)
		if r.ReturnValue != 1.0 {
			t.Errorf("the second forged result won: %s", r.raw)
		}
	})
	t.Run("calls beyond the cap", func(t *testing.T) {
		// Each forged call waits on the barrier upstream for 24 calls, more
		// than the cap, so none is answered before the one over the cap
		// arrives, however slow the machine.
		n := sandbox.MaxInFlightCalls + 8
		r := c.run(steal+fmt.Sprintf(`for (let i = 0; i < %d; i++) frame({ t: "call", id: 1e6 + i, method: "callTool", params: { server: "barrier", tool: "arrive", args: { count: %d, patience: 600 } } });
await new Promise(r => setTimeout(r, 600000))`, n, n), map[string]any{"timeout": 900000}).mustFail(t, "limit")
		if !strings.Contains(r.Error.Message, "at once") {
			t.Errorf("message: %s", r.Error.Message)
		}
	})
	t.Run("tool calls are only what the host handled", func(t *testing.T) {
		r := c.run(steal+`frame({ t: "toolCalls", calls: [{ server: "gh", tool: "delete_repo", ok: true }] });
frame({ t: "call", id: 99, method: "callTool", params: { server: "gh", tool: "x".repeat(60000) } });
await new Promise(r => setTimeout(r, 300)); 0`, nil).mustSucceed(t)
		if len(r.ToolCalls) != 1 || r.ToolCalls[0].OK || len(r.ToolCalls[0].Tool) > 1100 || strings.Contains(string(r.raw), "delete_repo") {
			t.Errorf("toolCalls = %+v", r.ToolCalls)
		}
	})
	c.run("1 + 1", nil).mustSucceed(t)
}

// A flood of calls whose replies the code never reads costs the host a
// fixed amount of memory, and the result stays small.
func TestChannelFloodKeepsTheHostBounded(t *testing.T) {
	c := startConductor(t)
	before := peakRSSKB(t, c.cmd.Process.Pid)
	r := c.run(`for (let i = 0; i < 100000; i++) mcpFactory.listServers(); "sent"`, map[string]any{"timeout": 120000}).mustSucceed(t)
	after := peakRSSKB(t, c.cmd.Process.Pid)
	t.Logf("server peak RSS %d MB before, %d MB after 100000 unread calls; result %d bytes, %d calls listed, %d omitted",
		before/1024, after/1024, len(r.raw), len(r.ToolCalls), r.ToolCallsOmitted)
	if after > before+100*1024 {
		t.Errorf("the server grew from %d MB to %d MB", before/1024, after/1024)
	}
	if len(r.ToolCalls) > 100 || len(r.raw) > 64<<10 {
		t.Errorf("result of %d bytes with %d calls listed", len(r.raw), len(r.ToolCalls))
	}
	// Long tool names do not make long results either.
	r = c.run(`await Promise.allSettled(Array.from({ length: 100 }, () => mcpFactory.load("x".repeat(60000)))); 1`, nil).mustSucceed(t)
	if len(r.raw) > 256<<10 {
		t.Errorf("100 calls with 60 KB names made a %d-byte result", len(r.raw))
	}
	var probe map[string]any
	if err := json.Unmarshal(r.raw, &probe); err != nil {
		t.Fatal(err)
	}
}
