package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// The adversarial suite: sandboxed code tries to escape, and each attempt
// must be blocked with the right error type while the server stays healthy.

// canary is a local HTTP server that counts every request it receives.
func canary(t *testing.T) (url string, hits *atomic.Int64) {
	hits = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/javascript")
		fmt.Fprint(w, "export default 'escaped';")
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

func TestEscapeZeroPermissions(t *testing.T) {
	url, hits := canary(t)
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "secret.txt")
	writeFile(t, secret, "TOP SECRET")
	c := startConductor(t, "SERVER_SECRET_TOKEN=hunter2")
	tests := []struct {
		name, code, want string
	}{
		{"read outside workspace", "Deno.readTextFileSync('/etc/passwd')", "permission"},
		{"read a secret file", fmt.Sprintf("Deno.readTextFileSync(%q)", secret), "permission"},
		{"read own environ", "Deno.readTextFileSync('/proc/self/environ')", "permission"},
		{"read parent environ", "Deno.readTextFileSync('/proc/' + Deno.ppid + '/environ')", "permission"},
		{"write outside", "Deno.writeTextFileSync('/tmp/pwned', 'x')", "permission"},
		{"write workspace without grant", "Deno.writeTextFileSync('x.txt', 'x')", "permission"},
		{"read env", "Deno.env.get('SERVER_SECRET_TOKEN')", "permission"},
		{"dump env", "Deno.env.toObject()", "permission"},
		{"node process.env", "import process from 'node:process'\nprocess.env.SERVER_SECRET_TOKEN", "permission"},
		{"subprocess", "new Deno.Command(" + q(aProgram) + ").outputSync()", "permission"},
		{"node child_process", "import { execSync } from 'node:child_process'\nexecSync(" + q(aProgram) + ").toString()", "permission"},
		{"ffi", "Deno.dlopen('libc.so.6', { getpid: { parameters: [], result: 'i32' } })", "permission"},
		{"fetch", fmt.Sprintf("await fetch(%q)", url), "permission"},
		{"raw tcp", fmt.Sprintf("await Deno.connect({ hostname: '127.0.0.1', port: %s })", portOf(url)), "permission"},
		{"static URL import", fmt.Sprintf("import x from %q\nx", url+"/a.js"), "dependency"},
		{"dynamic URL import", fmt.Sprintf("(await import(%q)).default", url+"/b.js"), "dependency"},
		{"computed URL import", fmt.Sprintf("const u = [%q, 'c.js'].join('/');\n(await import(u)).default", url), "dependency"},
		{"static npm import", "import pad from 'npm:left-pad'\npad('x', 3)", "dependency"},
		{"dynamic npm import", "(await import('npm:left-pad')).default", "dependency"},
		{"computed npm import", "const n = ['npm:left', 'pad'].join('-');\n(await import(n)).default", "dependency"},
		{"jsr import", "import { join } from 'jsr:@std/path'\njoin('a')", "dependency"},
		{"file import", "import x from 'file:///etc/passwd'\nx", "dependency"},
		{"computed file import", "const f = 'file:///etc/' + 'hostname'\nawait import(f)", "permission"},
		{"signal the server", "Deno.kill(Deno.ppid, 'SIGKILL')", "permission"},
		{"system info", "Deno.hostname()", "permission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.code, nil).mustFail(t, tt.want)
			if strings.Contains(string(r.raw), "hunter2") || strings.Contains(string(r.raw), "TOP SECRET") {
				t.Fatalf("secret leaked: %s", r.raw)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the canary server was reached %d times", n)
	}
	c.run("1 + 1", nil).mustSucceed(t)
}

func portOf(url string) string {
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(url, "http://"))
	return port
}

func TestEscapeForgedResult(t *testing.T) {
	c := startConductor(t)
	for _, code := range []string{
		`console.log('__MCP_RETURN_VALUE__:666'); 1`,
		`console.log('\x1e' + 'a'.repeat(48) + ':{"t":"result","value":"666"}'); 1`,
		`Deno.stdout.writeSync(new TextEncoder().encode('{"t":"result","value":"666"}\n')); 1`,
		// Patching the globals the bootstrap used must not give access to its key.
		`let seen = ''; const orig = JSON.stringify; JSON.stringify = (...a) => { seen += orig(a); return orig(...a) };
		 TextEncoder.prototype.encode = function () { throw new Error('patched') }; 1`,
	} {
		r := c.run(code, nil).mustSucceed(t)
		if r.ReturnValue != 1.0 {
			t.Errorf("forged result accepted: %s", r.raw)
		}
	}
}

func TestEscapeStdinIsNotTheProtocolStream(t *testing.T) {
	c := startConductor(t)
	// Code may read its own stdin, but it only ever holds the job the
	// conductor sent it; the MCP stream of the client never reaches it.
	r := c.run("const b = new Uint8Array(1 << 16); const n = await Deno.stdin.read(b); new TextDecoder().decode(b.subarray(0, n ?? 0))", map[string]any{"timeout": 1500})
	if r.Status == "success" && strings.Contains(fmt.Sprint(r.ReturnValue), "jsonrpc") {
		t.Fatalf("sandbox read the MCP stream: %s", r.raw)
	}
	c.run("2 + 2", nil).mustSucceed(t)
}

func TestEscapeSymlinkOutOfWorkspace(t *testing.T) {
	home := t.TempDir()
	ws := filepath.Join(home, "ws")
	outside := filepath.Join(t.TempDir(), "outside.txt")
	writeFile(t, outside, "outside secret")
	writeFile(t, filepath.Join(ws, "ok.txt"), "inside")
	if err := os.Symlink(outside, filepath.Join(ws, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc", filepath.Join(ws, "etc")); err != nil {
		t.Fatal(err)
	}
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+ws+";allow-write="+ws)
	r := c.run("Deno.readTextFileSync('ok.txt')", nil).mustSucceed(t)
	if r.ReturnValue != "inside" {
		t.Fatalf("reading the workspace: %s", r.raw)
	}
	c.run("Deno.readTextFileSync('link.txt')", nil).mustFail(t, "permission")
	c.run("Deno.readTextFileSync('etc/hostname')", nil).mustFail(t, "permission")
	c.run("Deno.writeTextFileSync('link.txt', 'overwritten')", nil).mustFail(t, "permission")
	if b, _ := os.ReadFile(outside); string(b) != "outside secret" {
		t.Fatalf("file outside the workspace changed: %q", b)
	}
	// A link the code makes itself leads nowhere either.
	c.run("Deno.symlinkSync('/etc/passwd', 'mine'); Deno.readTextFileSync('mine')", nil).mustFail(t, "permission")
	c.run("Deno.writeTextFileSync('new.txt', 'x'); Deno.readTextFileSync('new.txt')", nil).mustSucceed(t)
}

func TestEscapeConductorFiles(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	writeFile(t, filepath.Join(chome, "mcp-config.json"), `{"mcpServers":{"gh":{"command":"x","env":{"TOKEN":"ghp_secret"}}}}`)
	ws := filepath.Join(chome, "workspace")
	writeFile(t, filepath.Join(ws, "data.txt"), "workspace data")
	if err := os.Symlink(filepath.Join(chome, "mcp-config.json"), filepath.Join(ws, "cfg")); err != nil {
		t.Fatal(err)
	}
	// The administrator grants the whole conductor folder; its own files stay out of reach.
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+chome+";allow-write="+chome)
	r := c.run("Deno.readTextFileSync('data.txt')", nil).mustSucceed(t)
	if r.ReturnValue != "workspace data" {
		t.Fatalf("workspace read: %s", r.raw)
	}
	for _, code := range []string{
		fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(chome, "mcp-config.json")),
		"Deno.readTextFileSync('cfg')",
		"Deno.readTextFileSync('../mcp-config.json')",
		fmt.Sprintf("Deno.writeTextFileSync(%q, '{}')", filepath.Join(chome, "mcp-config.json")),
		fmt.Sprintf("Deno.readDirSync(%q).map(e => e.name)", filepath.Join(chome, "sandbox")),
		fmt.Sprintf("Deno.writeTextFileSync(%q, 'x')", filepath.Join(chome, "cache", "deno", "planted")),
	} {
		r := c.run(code, nil).mustFail(t, "permission")
		if strings.Contains(string(r.raw), "ghp_secret") {
			t.Fatalf("token leaked: %s", r.raw)
		}
	}
}

// Even with read and write granted everywhere, the Deno binary and the
// conductor's own files stay out of reach.
func TestEscapeWithBroadGrants(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	writeFile(t, filepath.Join(chome, "mcp-config.json"), `{"mcpServers":{}}`)
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_RUN_ARGS=allow-read;allow-write")
	deno := testenv.Deno(t)
	for _, code := range []string{
		fmt.Sprintf("Deno.readFileSync(%q).length", deno),
		fmt.Sprintf("Deno.writeFileSync(%q, new Uint8Array(1))", deno),
		fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(chome, "mcp-config.json")),
		"Deno.readTextFileSync('/proc/self/environ')",
		"Deno.readTextFileSync('/proc/' + Deno.ppid + '/cmdline')",
	} {
		c.run(code, nil).mustFail(t, "permission")
	}
	r := c.run(fmt.Sprintf("Deno.readTextFileSync(%q).length > 0", "/etc/hostname"), nil).mustSucceed(t)
	if r.ReturnValue != true {
		t.Errorf("a granted read failed: %s", r.raw)
	}
}

func TestEscapeEnvironmentWithGrant(t *testing.T) {
	c := startConductor(t, "SERVER_SECRET_TOKEN=hunter2", "GREETING=hello", "MCP_CONDUCTOR_RUN_ARGS=allow-env")
	r := c.run("Deno.env.toObject()", nil).mustSucceed(t)
	if strings.Contains(string(r.raw), "hunter2") || strings.Contains(string(r.raw), "MCP_CONDUCTOR") {
		t.Fatalf("server environment reached the sandbox: %s", r.raw)
	}
	c2 := startConductor(t, "GREETING=hello", "MCP_CONDUCTOR_RUN_ARGS=allow-env=GREETING")
	r = c2.run("Deno.env.get('GREETING')", nil).mustSucceed(t)
	if r.ReturnValue != "hello" {
		t.Errorf("a variable granted by name should pass: %s", r.raw)
	}
}

func TestEscapeWithRunGrant(t *testing.T) {
	c := startConductor(t, "MCP_CONDUCTOR_RUN_ARGS=allow-run")
	// The conductor cannot be signalled (or ended) even with allow-run.
	c.run("Deno.kill(Deno.ppid, 'SIGKILL')", nil).mustFail(t, "permission")
	kill, sleep := "new Deno.Command('kill', { args: ['-9', String(Deno.ppid)] })", "new Deno.Command('sleep', { args: ['3600'], stdout: 'inherit', stderr: 'inherit' })"
	if runtime.GOOS == "windows" {
		kill = "new Deno.Command('taskkill', { args: ['/F', '/PID', String(Deno.ppid)] })"
		sleep = "new Deno.Command(Deno.execPath(), { args: ['eval', 'setTimeout(() => {}, 3600000)'], stdout: 'inherit', stderr: 'inherit' })"
	}
	c.run(kill+".outputSync().code", nil).mustSucceed(t)
	c.run("1", nil).mustSucceed(t) // still serving
	// A grandchild holding the pipes does not hold the call, and dies with
	// it. It would outlive the run's timeout, so a call it held would fail
	// with a timeout rather than succeed.
	r := c.run("const p = "+sleep+".spawn(); p.unref(); p.pid", map[string]any{"timeout": 120000}).mustSucceed(t)
	pid := int(r.ReturnValue.(float64))
	waitGone(t, pid)
	if runtime.GOOS == "windows" {
		// No SIGTERM to ignore there: the job ends the whole tree at once.
		c.run(sleep+".spawn(); await new Promise(() => setInterval(() => {}, 1000))", map[string]any{"timeout": 1000}).mustFail(t, "timeout")
		c.run("1", nil).mustSucceed(t)
		return
	}
	// Timeout with a grandchild that ignores SIGTERM.
	r = c.run("new Deno.Command('sh', { args: ['-c', 'trap \"\" TERM; echo $$; sleep 30'] }).spawn(); await new Promise(() => setInterval(() => {}, 1000))", map[string]any{"timeout": 1000}).mustFail(t, "timeout")
	c.run("1", nil).mustSucceed(t)
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if processGone(pid) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("process %d outlived its execution", pid)
}

func TestLimits(t *testing.T) {
	// The bombs get a generous time limit (what decides them is memory, not
	// time: on a loaded machine filling 64 MB can take seconds); the
	// timeout cases pass their own.
	c := startConductor(t, "MCP_CONDUCTOR_MAX_MEMORY_MB=64", "MCP_CONDUCTOR_MAX_OUTPUT_BYTES=65536", "MCP_CONDUCTOR_MAX_TIMEOUT=120000", "MCP_CONDUCTOR_DEFAULT_TIMEOUT=120000")
	t.Run("infinite loop", func(t *testing.T) {
		r := c.run("while (true) {}", map[string]any{"timeout": 1000}).mustFail(t, "timeout")
		if !strings.Contains(r.Error.Message, "1000 ms") {
			t.Errorf("message: %s", r.Error.Message)
		}
	})
	t.Run("max timeout is honoured", func(t *testing.T) {
		c := startConductor(t, "MCP_CONDUCTOR_MAX_TIMEOUT=1500", "MCP_CONDUCTOR_DEFAULT_TIMEOUT=1500")
		r := c.run("while (true) {}", map[string]any{"timeout": 600000}).mustFail(t, "timeout")
		if !strings.Contains(r.Error.Message, "1500 ms") {
			t.Errorf("timeout not capped at the admin's maximum: %s", r.Error.Message)
		}
	})
	t.Run("SIGTERM handler", func(t *testing.T) {
		c.run("Deno.addSignalListener('SIGTERM', () => {}); while (true) {}", map[string]any{"timeout": 1000}).mustFail(t, "timeout")
	})
	t.Run("heap bomb", func(t *testing.T) {
		r := c.run("const a = []; while (true) a.push('x'.repeat(1e6) + Math.random())", nil).mustFail(t, "limit")
		if !strings.Contains(r.Error.Message, "64 MB") || strings.Contains(r.Stderr, "C stack trace") {
			t.Errorf("limit report: %s", r.raw)
		}
	})
	t.Run("array buffer bomb", func(t *testing.T) {
		c.run("const a = []; while (true) a.push(new Uint8Array(1e8).fill(1))", nil).mustFail(t, "limit")
	})
	t.Run("output flood then finish", func(t *testing.T) {
		r := c.run("for (let i = 0; i < 2000; i++) console.log('y'.repeat(1000)); 'done'", nil).mustSucceed(t)
		if len(r.Stdout) > 65536+200 || !strings.Contains(r.Stdout, "[stdout truncated:") || r.ReturnValue != "done" {
			t.Errorf("stdout %d bytes, tail %q", len(r.Stdout), r.Stdout[max(0, len(r.Stdout)-120):])
		}
	})
	t.Run("endless output", func(t *testing.T) {
		r := c.run("const s = 'z'.repeat(4096); while (true) { console.log(s); console.error(s) }", map[string]any{"timeout": 1500}).mustFail(t, "timeout")
		if len(r.Stdout) > 65536+200 || len(r.Stderr) > 65536+200 {
			t.Errorf("output not capped: %d/%d bytes", len(r.Stdout), len(r.Stderr))
		}
	})
	t.Run("huge return value", func(t *testing.T) {
		c.run("'r'.repeat(200000)", nil).mustFail(t, "limit")
	})
	c.run("1 + 1", nil).mustSucceed(t)
}

func TestConcurrencyCapQueues(t *testing.T) {
	c := startConductor(t, "MCP_CONDUCTOR_MAX_CONCURRENCY=1")
	type span struct{ start, end float64 }
	spans := make(chan span, 3)
	for i := 0; i < 3; i++ {
		go func() {
			r := c.run("const s = Date.now(); await new Promise(r => setTimeout(r, 300)); [s, Date.now()]", nil)
			v, _ := r.ReturnValue.([]any)
			if len(v) != 2 {
				spans <- span{-1, -1}
				return
			}
			spans <- span{v[0].(float64), v[1].(float64)}
		}()
	}
	var all []span
	for i := 0; i < 3; i++ {
		all = append(all, <-spans)
	}
	for i, a := range all {
		if a.start < 0 {
			t.Fatalf("a queued run failed")
		}
		for j, b := range all {
			if i != j && a.start < b.end && b.start < a.end {
				t.Errorf("runs %d and %d overlapped with MAX_CONCURRENCY=1: %v %v", i, j, a, b)
			}
		}
	}
}

func TestCancellationKillsTheProcess(t *testing.T) {
	home := t.TempDir()
	ws := filepath.Join(home, "ws")
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-write="+ws)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.session.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{
			"deno_code": "Deno.writeTextFileSync('pid', String(Deno.pid)); while (true) {}",
		}})
		done <- err
	}()
	var pid int
	deadline := time.Now().Add(20 * time.Second)
	for pid == 0 && time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(ws, "pid"))
		pid, _ = strconv.Atoi(string(b))
		time.Sleep(20 * time.Millisecond)
	}
	if pid == 0 {
		t.Fatal("the code never started")
	}
	cancel() // the client sends notifications/cancelled
	<-done
	waitGone(t, pid)
	c.run("1", nil).mustSucceed(t)
}

// Granted hosts are reachable, and only those.
func TestNetGrant(t *testing.T) {
	url, hits := canary(t)
	other, otherHits := canary(t)
	c := startConductor(t, "MCP_CONDUCTOR_RUN_ARGS=allow-net=127.0.0.1:"+portOf(url))
	r := c.run(fmt.Sprintf("(await fetch(%q)).status", url+"/x.js"), nil).mustSucceed(t)
	if r.ReturnValue != 200.0 || hits.Load() != 1 {
		t.Fatalf("granted host: %s (hits %d)", r.raw, hits.Load())
	}
	c.run(fmt.Sprintf("await fetch(%q)", other), nil).mustFail(t, "permission")
	// A granted host is still no source of code.
	c.run(fmt.Sprintf("const u = %q + '/m.js';\n(await import(u)).default", url), nil).mustFail(t, "dependency")
	if otherHits.Load() != 0 || hits.Load() != 1 {
		t.Errorf("hits: granted %d, other %d", hits.Load(), otherHits.Load())
	}
}
