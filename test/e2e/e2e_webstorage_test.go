package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Zero-permission code writes nothing that outlives its execution, with or
// without the kernel layer: web storage (localStorage, the Cache API) lives
// in the process's private folder. The canary is stored by one execution
// and looked for by the next, and in every file the conductor keeps.
func TestWebStorageDoesNotPersist(t *testing.T) {
	for _, mode := range []string{"auto", "off"} {
		t.Run("confinement "+mode, func(t *testing.T) {
			home := t.TempDir()
			chome := filepath.Join(home, ".mcp-conductor")
			canary := newCanary(t)
			c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_CONFINEMENT="+mode)
			store := `const v = ` + jsonText(canary) + `;
let stored = [];
try { localStorage.setItem("k", v); stored.push("localStorage") } catch (e) {}
try { const c = await caches.open("x"); await c.put("http://x/", new Response(v.repeat(20000))); stored.push("caches") } catch (e) {}
stored`
			r := c.run(store, nil).mustSucceed(t)
			t.Logf("stored through %v", r.ReturnValue)
			look := `const found = [];
try { if (localStorage.getItem("k")) found.push("localStorage: " + localStorage.getItem("k")) } catch (e) {}
try { const m = await (await caches.open("x")).match("http://x/"); if (m) found.push("caches: " + (await m.text()).slice(0, 60)) } catch (e) {}
found`
			for i := 0; i < 3; i++ { // the pool's processes, and fresh ones
				r = c.run(look, nil).mustSucceed(t)
				if got, _ := r.ReturnValue.([]any); len(got) != 0 || strings.Contains(string(r.raw), canary) {
					t.Fatalf("web storage outlived its execution: %s", r.raw)
				}
			}
			filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return nil
				}
				if strings.Contains(p, "location_data") {
					t.Errorf("web storage written into the conductor's folder: %s", p)
				}
				if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), canary) && !strings.HasSuffix(p, "audit.jsonl") {
					t.Errorf("the canary was written to %s", p)
				}
				return nil
			})
		})
	}
}
