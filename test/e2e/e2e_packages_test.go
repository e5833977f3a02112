package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Packages come from the real npm registry through the install step.
func TestAllowlistedPackages(t *testing.T) {
	c := startConductor(t, "MCP_CONDUCTOR_ALLOWED_PACKAGES=npm:is-number@^7,npm:is-odd@^3")
	r := c.run("import isNumber from 'npm:is-number'\nisNumber(5) && !isNumber('x')", nil)
	if r.Status != "success" && strings.Contains(r.Error.Message, "installing") {
		t.Fatalf("install step failed (the npm registry must be reachable): %s", r.raw)
	}
	if r.mustSucceed(t).ReturnValue != true {
		t.Fatalf("is-number: %s", r.raw)
	}
	for _, tt := range []struct{ name, code string }{
		{"bare name", "import isNumber from 'is-number'\nisNumber(1)"},
		{"dynamic", "(await import('npm:is-number')).default(2)"},
		{"dependencies parameter", "(await import('npm:is-odd')).default(3)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.code, map[string]any{"dependencies": []string{"npm:is-odd"}}).mustSucceed(t)
			if r.ReturnValue != true {
				t.Errorf("%s", r.raw)
			}
		})
	}
	for _, tt := range []struct{ name, code string }{
		{"another version", "import n from 'npm:is-number@6'\nn(1)"},
		{"another version dynamically", "const v = 'npm:is-number@' + '2.0.0';\n(await import(v)).default(1)"},
		{"unlisted", "import p from 'npm:left-pad'\np('a', 2)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.run(tt.code, nil).mustFail(t, "dependency")
		})
	}
	r = c.run("1", map[string]any{"dependencies": []string{"npm:left-pad"}}).mustFail(t, "dependency")
	if !strings.Contains(r.Error.Message, "npm:is-number@^7") {
		t.Errorf("the refusal should list what is allowed: %s", r.Error.Message)
	}
	c.run("1", map[string]any{"dependencies": []string{"npm:is-number@1'; evil()"}}).mustFail(t, "dependency")
}

func TestRunArgsForms(t *testing.T) {
	home := t.TempDir()
	ws := home + "/ws"
	// The original README's comma form must grant both read and write.
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+ws+",allow-write="+ws)
	r := c.run("Deno.writeTextFileSync('f.txt', 'ok'); Deno.readTextFileSync('f.txt')", nil).mustSucceed(t)
	if r.ReturnValue != "ok" {
		t.Fatalf("%s", r.raw)
	}
}

func TestStartupErrorsNameTheVariable(t *testing.T) {
	bin := testBinary(t)
	for _, tt := range []struct{ env, want string }{
		{"MCP_CONDUCTOR_RUN_ARGS=allow-all", "MCP_CONDUCTOR_ALLOW_ALL"},
		{"MCP_CONDUCTOR_RUN_ARGS=allow-evrything", "MCP_CONDUCTOR_RUN_ARGS"},
		{"MCP_CONDUCTOR_DEFAULT_TIMEOUT=soon", "MCP_CONDUCTOR_DEFAULT_TIMEOUT"},
		{"MCP_CONDUCTOR_ALLOWED_PACKAGES=npm:axios", "MCP_CONDUCTOR_ALLOWED_PACKAGES"},
		{"MCP_CONDUCTOR_DENO=/nonexistent/deno", "MCP_CONDUCTOR_DENO"},
	} {
		cmd := exec.Command(bin, "--stdio")
		cmd.Env = osEnv([]string{"HOME=" + t.TempDir(), tt.env})
		done := make(chan struct{})
		var out []byte
		var err error
		go func() { out, err = cmd.CombinedOutput(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: the server did not exit", tt.env)
		}
		if err == nil || !strings.Contains(string(out), tt.want) {
			t.Errorf("%s: exit %v, output %q; want an error naming %s", tt.env, err, out, tt.want)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	bin := testBinary(t)
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "mcp-conductor ") {
		t.Errorf("--version: %v %q", err, out)
	}
	out, err = exec.Command(bin, "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--stdio") {
		t.Errorf("--help: %v %q", err, out)
	}
}

// jsrRegistry serves one JSR package, @demo/greet@1.0.0, the way jsr.io
// lays packages out.
func jsrRegistry(t *testing.T) (string, *atomic.Int64) {
	mod := "export function greet(name: string): string { return `hello, ${name}` }\n"
	sum := sha256.Sum256([]byte(mod))
	hits := &atomic.Int64{}
	mux := http.NewServeMux()
	mux.HandleFunc("/@demo/greet/meta.json", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"scope":"demo","name":"greet","latest":"1.0.0","versions":{"1.0.0":{}}}`)
	})
	mux.HandleFunc("/@demo/greet/1.0.0_meta.json", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"manifest":{"/mod.ts":{"size":%d,"checksum":"sha256-%s"}},"exports":{".":"./mod.ts"}}`, len(mod), hex.EncodeToString(sum[:]))
	})
	mux.HandleFunc("/@demo/greet/1.0.0/mod.ts", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/typescript")
		fmt.Fprint(w, mod)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/", hits
}

func TestJSRPackages(t *testing.T) {
	registry, hits := jsrRegistry(t)
	c := startConductor(t, "MCP_CONDUCTOR_ALLOWED_PACKAGES=jsr:@demo/greet@^1", "JSR_URL="+registry)
	r := c.run("import { greet } from 'jsr:@demo/greet'\ngreet('jsr')", nil).mustSucceed(t)
	if r.ReturnValue != "hello, jsr" {
		t.Fatalf("%s", r.raw)
	}
	installed := hits.Load()
	// Later runs read the cache; the sandbox itself never fetches.
	c.run("(await import('jsr:@demo/greet')).greet('again')", nil).mustSucceed(t)
	c.run("import { greet } from 'jsr:@demo/greet@2'\ngreet('x')", nil).mustFail(t, "dependency")
	c.run("import { x } from 'jsr:@demo/other'\nx", nil).mustFail(t, "dependency")
	c.run("const u = 'jsr:@demo/' + 'other@1';\n(await import(u)).x", nil).mustFail(t, "dependency")
	if n := hits.Load(); n != installed {
		t.Errorf("the sandbox reached the registry: %d requests after the install step's %d", n, installed)
	}
}
