package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Every execution runs in a process that has never run other code, pool or
// not: nothing one execution leaves behind is visible to the next.
func TestPoolIsolation(t *testing.T) {
	for _, pool := range []string{"0", "3"} {
		t.Run("pool="+pool, func(t *testing.T) {
			home := t.TempDir()
			ws := filepath.Join(home, "ws")
			c := startConductor(t, "MCP_CONDUCTOR_POOL_SIZE="+pool, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-write="+ws)
			time.Sleep(300 * time.Millisecond) // let the pool fill
			first := c.run(`globalThis.leak = "from the first run";
Object.prototype.polluted = true;
setInterval(() => {}, 10);
const f = Deno.makeTempFileSync();
Deno.writeTextFileSync(f, "private");
const m = await import("node:path"); m.default.leaked = 1;
({ pid: Deno.pid, tmp: f, content: Deno.readTextFileSync(f) })`, map[string]any{"timeout": 1500})
			// The interval keeps the first run alive until its timeout.
			first.mustFail(t, "timeout")
			r := c.run(`({ pid: Deno.pid, leak: globalThis.leak ?? null, polluted: ({}).polluted ?? null, mod: (await import("node:path")).default.leaked ?? null })`, nil).mustSucceed(t)
			v := r.ReturnValue.(map[string]any)
			if v["leak"] != nil || v["polluted"] != nil || v["mod"] != nil {
				t.Errorf("state leaked into the next run: %v", v)
			}
			a := c.run("const f = Deno.makeTempFileSync(); Deno.writeTextFileSync(f, 'private'); [Deno.pid, f]", nil).mustSucceed(t)
			pair := a.ReturnValue.([]any)
			b := c.run(fmt.Sprintf("[Deno.pid, (() => { try { return Deno.readTextFileSync(%q) } catch (e) { return e.name } })()]", pair[1]), nil).mustSucceed(t)
			next := b.ReturnValue.([]any)
			if next[0] == pair[0] {
				t.Errorf("two executions ran in the same process %v", next[0])
			}
			if next[1] == "private" {
				t.Errorf("a temporary file of one execution was readable by the next")
			}
			if _, err := os.Stat(pair[1].(string)); !os.IsNotExist(err) {
				t.Errorf("the private temporary folder outlived its execution: %v", err)
			}
			// TypeScript and the last value still work through the pool.
			r = c.run("const xs: number[] = [1, 2, 3]\nxs.reduce((a: number, b: number) => a + b, 0)", nil).mustSucceed(t)
			if r.ReturnValue != 6.0 {
				t.Errorf("got %v", r.ReturnValue)
			}
		})
	}
}
