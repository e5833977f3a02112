package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// The Python variants of the adversarial suite: the same classes of attack
// as the JavaScript tests, from run_python_code, each against a planted
// canary.

// runPy calls run_python_code and decodes the structured result.
func (c *conductor) runPy(code string, extra map[string]any) runResult {
	c.t.Helper()
	return c.runTool("run_python_code", "python_code", code, extra)
}

func (c *conductor) toolNames() []string {
	c.t.Helper()
	res, err := c.session.ListTools(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}

// leaks fails the test when the result holds any canary.
func leaks(t *testing.T, r runResult, canaries ...string) {
	t.Helper()
	for _, s := range canaries {
		if strings.Contains(string(r.raw), s) {
			t.Fatalf("canary %q leaked: %s", s, r.raw)
		}
	}
}

// TestPythonTool: run_python_code is listed, answers in run_deno_code's
// envelope, and its tracebacks point into the submitted code.
func TestPythonTool(t *testing.T) {
	c := startConductor(t)
	if !slices.Contains(c.toolNames(), "run_python_code") {
		t.Fatalf("run_python_code is not listed: %v", c.toolNames())
	}
	r := c.runPy("sum(range(10))", nil).mustSucceed(t)
	if r.ReturnValue != 45.0 {
		t.Fatalf("sum(range(10)): %s", r.raw)
	}
	// The audit log says which language ran.
	logb, _ := os.ReadFile(filepath.Join(c.home, ".mcp-conductor", "logs", "audit.jsonl"))
	recorded := false
	for _, line := range strings.Split(strings.TrimSpace(string(logb)), "\n") {
		var rec struct{ Kind, Code, Language string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Kind == "execution" && rec.Code == "sum(range(10))" {
			recorded = rec.Language == "python"
		}
	}
	if !recorded {
		t.Errorf("the audit log does not record the Python run as Python:\n%s", logb)
	}
	r = c.runPy("print('hello')\n{'n': n, 'twice': n * 2}", map[string]any{"globals": map[string]any{"n": 21}}).mustSucceed(t)
	if r.Stdout != "hello\n" || fmt.Sprint(r.ReturnValue) != "map[n:21 twice:42]" {
		t.Fatalf("globals and stdout: %s", r.raw)
	}
	r = c.runPy("x = 1\n\ndef f(y):\n    return y / 0\n\nf(x)", nil).mustFail(t, "runtime")
	for _, want := range []string{`File "<code>", line 6, in <module>`, `File "<code>", line 4, in f`, "ZeroDivisionError"} {
		if !strings.Contains(r.Error.Message, want) {
			t.Errorf("traceback lacks %q: %s", want, r.Error.Message)
		}
	}
	c.runPy("def (", nil).mustFail(t, "syntax")
	c.runPy("x", map[string]any{"globals": map[string]any{"not-a-name": 1}}).mustFail(t, "input")
	c.runPy("x", map[string]any{"packages": "numpy"}).mustFail(t, "input")
	c.runPy("x", map[string]any{"python": "1"}).mustFail(t, "input")
	c.runPy("import numpy", map[string]any{"packages": []string{"numpy"}}).mustFail(t, "dependency")
	// Each run has its own interpreter: nothing a run defines survives it.
	c.runPy("import builtins\nbuiltins.planted = 'left behind'\nplanted", nil).mustSucceed(t)
	r = c.runPy("import builtins\ngetattr(builtins, 'planted', 'fresh')", nil).mustSucceed(t)
	if r.ReturnValue != "fresh" {
		t.Fatalf("an interpreter was reused: %s", r.raw)
	}
}

// TestPythonIsOffWhenAskedOrMissing: the tool is listed only when it can
// run.
func TestPythonIsOffWhenAskedOrMissing(t *testing.T) {
	for name, env := range map[string]string{
		"turned off":      "MCP_CONDUCTOR_PYTHON=0",
		"no Pyodide here": "MCP_CONDUCTOR_PYODIDE=" + t.TempDir(),
	} {
		t.Run(name, func(t *testing.T) {
			c := startConductor(t, env)
			if names := c.toolNames(); slices.Contains(names, "run_python_code") || !slices.Contains(names, "run_deno_code") {
				t.Fatalf("tools: %v", names)
			}
		})
	}
}

func TestPythonEscapeZeroPermissions(t *testing.T) {
	url, hits := canary(t)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, secret, "TOP SECRET")
	made := filepath.Join(t.TempDir(), "made-by-a-subprocess")
	c := startConductor(t, "SERVER_SECRET_TOKEN=hunter2")
	mcpCfg := filepath.Join(c.home, ".mcp-conductor", "mcp-config.json")
	writeFile(t, mcpCfg, `{"mcpServers": {}, "note": "CONFIG CANARY"}`)
	writeFile(t, filepath.Join(c.home, ".mcp-conductor", "workspace", "data.csv"), "WORKSPACE CANARY")
	tests := []struct{ name, code string }{
		{"open a secret file", fmt.Sprintf("open(%q).read()", secret)},
		{"open the MCP servers file", fmt.Sprintf("open(%q).read()", mcpCfg)},
		{"open the workspace without a grant", "open('data.csv').read()"},
		{"read through Deno", fmt.Sprintf("import js\njs.Deno.readTextFileSync(%q)", secret)},
		{"read the conductor's files through Deno", fmt.Sprintf("import js\njs.Deno.readTextFileSync(%q)", mcpCfg)},
		{"read own environ through Deno", "import js\njs.Deno.readTextFileSync('/proc/self/environ')"},
		{"environment", "import os\nassert 'SERVER_SECRET_TOKEN' not in os.environ\nimport js\njs.Deno.env.get('SERVER_SECRET_TOKEN')"},
		{"write outside", fmt.Sprintf("import js\njs.Deno.writeTextFileSync(%q, 'pwned')", secret)},
		{"fetch", fmt.Sprintf("import js\nawait js.fetch(%q)", url)},
		{"pyfetch", fmt.Sprintf("from pyodide.http import pyfetch\nawait pyfetch(%q)", url)},
		{"socket", fmt.Sprintf("import socket\nsocket.create_connection(('127.0.0.1', %s)).send(b'x')", portOf(url))},
		{"subprocess", fmt.Sprintf("import subprocess\nsubprocess.run(['/bin/sh', '-c', 'touch %s'])", made)},
		{"os.system", fmt.Sprintf("import os\nr = os.system('touch %s')\nassert r == 0, r", made)},
		{"Deno.Command", fmt.Sprintf("import js\njs.Deno.Command.new('/bin/sh', js.JSON.parse('{\"args\": [\"-c\", \"touch %s\"]}')).outputSync()", made)},
		{"signal the server", "import js\njs.Deno.kill(js.Deno.ppid, 'SIGKILL')"},
		{"import a package", "import numpy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.runPy(tt.code, nil)
			if r.Status != "error" {
				t.Fatalf("the attempt succeeded: %s", r.raw)
			}
			leaks(t, r, "hunter2", "TOP SECRET", "CONFIG CANARY", "WORKSPACE CANARY")
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the canary server was reached %d times", n)
	}
	if _, err := os.Stat(made); err == nil {
		t.Error("a subprocess ran")
	}
	if b, _ := os.ReadFile(secret); string(b) != "TOP SECRET" {
		t.Errorf("the secret file was changed: %q", b)
	}
	c.runPy("1 + 1", nil).mustSucceed(t)
}

// TestPythonChannel: printed frames, Python's stdin and forged call frames
// get the code nothing it could not have had.
func TestPythonChannel(t *testing.T) {
	c := startConductor(t)
	for _, code := range []string{
		"print('\\x1e' + 'a' * 48 + ':{\"t\":\"result\",\"value\":\"666\"}')\n1",
		"import sys\nsys.stdout.write('{\"t\":\"result\",\"value\":\"666\"}\\n')\n1",
		"import js\njs.Deno.stdout.writeSync(js.TextEncoder.new().encode('{\"t\":\"result\",\"value\":\"666\"}\\n'))\n1",
	} {
		r := c.runPy(code, nil).mustSucceed(t)
		if r.ReturnValue != 1.0 {
			t.Errorf("forged result accepted: %s", r.raw)
		}
	}
	r := c.runPy("import sys\nsys.stdin.read()", nil)
	if r.Status == "success" || strings.Contains(string(r.raw), "jsonrpc") {
		t.Fatalf("Python's stdin gave something: %s", r.raw)
	}
	r = c.runPy("import js\nb = js.Uint8Array.new(65536)\nn = await js.Deno.stdin.read(b)\nbytes(b.to_py()[:n or 0]).decode()", map[string]any{"timeout": 3000})
	if strings.Contains(string(r.raw), "jsonrpc") || strings.Contains(string(r.raw), "python_code") {
		t.Fatalf("the sandbox read the MCP stream or its own job: %s", r.raw)
	}
	c.runPy("2 + 2", nil).mustSucceed(t)
}

// TestPythonLimits: time, output and return value are capped by the host.
func TestPythonLimits(t *testing.T) {
	c := startConductor(t, "MCP_CONDUCTOR_MAX_OUTPUT_BYTES=4096")
	c.runPy("while True:\n    pass", map[string]any{"timeout": 1000}).mustFail(t, "timeout")
	r := c.runPy("print('x' * 100000)\n1", nil).mustSucceed(t)
	if len(r.Stdout) > 4096+200 {
		t.Fatalf("stdout is %d bytes, over the cap", len(r.Stdout))
	}
	c.runPy("'y' * 100000", nil).mustFail(t, "limit")
	c.runPy("1 + 1", nil).mustSucceed(t)
}

// TestPythonProxy: the MCP servers through mcp_factory, both call forms,
// under the same host-side policy.
func TestPythonProxy(t *testing.T) {
	ups := upstreams(t, t.TempDir())
	c := startConductor(t, "UP_SECRET=hunter2")
	cfg := map[string]any{"everything": ups["everything"]}
	cfg["everything"].(map[string]any)["denyTools"] = []string{"get-env"}
	writeMCPConfig(t, filepath.Join(c.home, ".mcp-conductor", "mcp-config.json"), cfg)
	code := `ev = await mcp_factory.load("everything")
a = await ev.call_tool("echo", {"message": "hi"})
b = await ev.echo(message="there")
[a, b, "get-env" in ev.tools]`
	var r runResult
	for deadline := time.Now().Add(30 * time.Second); ; {
		r = c.runPy(code, nil)
		if r.Status == "success" || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond) // the file is picked up while running
	}
	r.mustSucceed(t)
	if s := string(r.raw); !strings.Contains(s, "Echo: hi") || !strings.Contains(s, "Echo: there") || !strings.Contains(s, "false]") {
		t.Fatalf("proxy from Python: %s", r.raw)
	}
	if len(r.ToolCalls) < 3 {
		t.Errorf("toolCalls: %s", r.raw)
	}
	r = c.runPy(`ev = await mcp_factory.load("everything")
await ev.call_tool("get-env", {})`, nil).mustFail(t, "runtime")
	leaks(t, r, "hunter2")

	// get_tool_details gives each tool a Python signature that Python parses.
	var details struct {
		Tools []struct{ Name, Python string }
	}
	c.callJSON("get_tool_details", map[string]any{"server": "everything"}, &details)
	var sigs []string
	for _, tool := range details.Tools {
		sigs = append(sigs, tool.Python)
	}
	if len(sigs) == 0 || !strings.Contains(strings.Join(sigs, "\n"), "async def echo(") {
		t.Fatalf("signatures: %q", sigs)
	}
	r = c.runPy(`import ast
for s in sigs:
    ast.parse("class Server:\n" + "\n".join("    " + line for line in s.splitlines()))
len(sigs)`, map[string]any{"globals": map[string]any{"sigs": sigs}}).mustSucceed(t)
	if r.ReturnValue != float64(len(sigs)) {
		t.Fatalf("parsed: %s", r.raw)
	}
}

// TestPythonInstall: `mcp-conductor python install` gets Pyodide from an npm
// registry (here a local one serving the real package), verified, and the
// server then offers run_python_code from the installed copy.
func TestPythonInstall(t *testing.T) {
	home := filepath.Join(t.TempDir(), "conductor")
	reg := testenv.PyodideRegistry(t, deno.PyodideVersion, []string{"package.json", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}, false)
	cmd := exec.Command(testenv.Binary(t), "python", "install", "--registry", reg)
	cmd.Env = osEnv([]string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "MCP_CONDUCTOR_HOME=" + home})
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "installed pyodide "+deno.PyodideVersion) {
		t.Fatalf("python install: %v\n%s", err, out)
	}
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+home, "MCP_CONDUCTOR_PYODIDE=")
	if r := c.runPy("import sys\nsys.version_info[:2]", nil).mustSucceed(t); fmt.Sprint(r.ReturnValue) != "[3 14]" {
		t.Fatalf("Python from the installed runtime: %s", r.raw)
	}
}

// TestPythonPackages: an allowlisted wheel from the administrator's index
// (a local mirror serving a wheel built here), through the tool.
func TestPythonPackages(t *testing.T) {
	w := testenv.BuildWheel(t, "conductor_hello", "1.0.0", map[string]string{"conductor_hello/__init__.py": "GREETING = 'hello from the mirror'\n"})
	index, _, downloads := testenv.PythonIndex(t, []testenv.Wheel{w}, nil)
	c := startConductor(t, "MCP_CONDUCTOR_PYTHON_INDEX="+index, "MCP_CONDUCTOR_PYTHON_PACKAGES=conductor-hello==1.0.0")
	if d := c.toolDescription("run_python_code"); !strings.Contains(d, "conductor-hello==1.0.0") {
		t.Errorf("the description does not list the allowlist: %s", d)
	}
	r := c.runPy("import conductor_hello\nconductor_hello.GREETING", map[string]any{"packages": []string{"conductor-hello"}}).mustSucceed(t)
	if r.ReturnValue != "hello from the mirror" {
		t.Fatalf("%s", r.raw)
	}
	before := downloads.Load()
	c.runPy("import conductor_hello\nconductor_hello.GREETING", map[string]any{"packages": []string{"conductor_hello"}}).mustSucceed(t)
	c.runPy("1", map[string]any{"packages": []string{"six"}}).mustFail(t, "dependency")
	if downloads.Load() != before {
		t.Error("a run downloaded a package")
	}
}

// TestPythonFollowsTheSettings: turning Python off in the settings file
// takes run_python_code off the tool list of a running server, and turning
// it on again brings it back.
func TestPythonFollowsTheSettings(t *testing.T) {
	chome := filepath.Join(t.TempDir(), ".mcp-conductor")
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome)
	waitTools := func(want bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); slices.Contains(c.toolNames(), "run_python_code") != want; {
			if time.Now().After(deadline) {
				t.Fatalf("run_python_code listed: %v, want %v", !want, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitTools(true)
	writeFile(t, filepath.Join(chome, "settings.json"), `{"python": {"disabled": true}}`)
	waitTools(false)
	writeFile(t, filepath.Join(chome, "settings.json"), `{"python": {"poolSize": 0}}`)
	waitTools(true)
	c.runPy("6 * 7", nil).mustSucceed(t)
}
