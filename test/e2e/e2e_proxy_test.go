package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// upstreams returns mcp-config.json entries for the real npm MCP servers.
func upstreams(t *testing.T, fsRoot string) map[string]any {
	node := testenv.Node(t)
	return map[string]any{
		"everything": map[string]any{"command": node, "args": []string{testenv.NodeModule(t, "@modelcontextprotocol/server-everything/dist/index.js"), "stdio"},
			"env": map[string]string{"UPSTREAM_SECRET": "${env:UP_SECRET}"}, "denyTools": []string{"get-env", "trigger-*-request*"}},
		"memory": map[string]any{"command": node, "args": []string{testenv.NodeModule(t, "@modelcontextprotocol/server-memory/dist/index.js")},
			"env": map[string]string{"MEMORY_FILE_PATH": filepath.Join(fsRoot, "memory.jsonl")}},
		"filesystem": map[string]any{"command": node, "args": []string{testenv.NodeModule(t, "@modelcontextprotocol/server-filesystem/dist/index.js"), fsRoot}},
	}
}

// barrierServer is the mcp-config.json entry of testdata/barrier-server.mjs:
// its tool "arrive" answers once `count` calls wait together.
func barrierServer(t *testing.T) map[string]any {
	p, err := filepath.Abs(filepath.Join("testdata", "barrier-server.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"command": testenv.Node(t), "args": []string{p}}
}

func writeMCPConfig(t *testing.T, path string, servers map[string]any) {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"mcpServers": servers}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tmp := path + ".tmp"
	writeFile(t, tmp, string(b))
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func (c *conductor) callJSON(tool string, args map[string]any, out any) *mcp.CallToolResult {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	res, err := c.session.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		c.t.Fatalf("%s: %v", tool, err)
	}
	if out != nil && res.StructuredContent != nil {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s: %v: %s", tool, err, b)
		}
	}
	return res
}

type serversOut struct {
	Servers []struct {
		Name, Status, Error, Description, Instructions string
		ToolCount                                      int `json:"toolCount"`
	} `json:"servers"`
	ConfigError string `json:"configError"`
}

func TestProxyMultiServerScript(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	fsRoot := filepath.Join(home, "shared")
	writeFile(t, filepath.Join(fsRoot, "notes.txt"), "hello from the filesystem server")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), upstreams(t, fsRoot))
	// The sandbox has zero permissions: the proxy channel needs none.
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=s3cr3t-value")

	var list serversOut
	c.callJSON("list_mcp_servers", nil, &list)
	if len(list.Servers) != 3 {
		t.Fatalf("list_mcp_servers: %+v", list)
	}
	for _, s := range list.Servers {
		if s.Status != "connected" || s.ToolCount == 0 {
			t.Errorf("server %+v", s)
		}
		if s.Name == "everything" && s.Instructions == "" {
			t.Errorf("instructions from initialize missing: %+v", s)
		}
	}

	code := fmt.Sprintf(`
const ev = await mcpFactory.load("everything");
const mem = await mcpFactory.load("memory");
const files = await mcpFactory.load("filesystem");
const echo = await ev.echo({ message: "hi" });
const sum = await ev.callTool("get-sum", { a: 2, b: 3 });
await mem.create_entities({ entities: [{ name: "conductor", entityType: "app", observations: ["runs code"] }] });
const graph = await mem.read_graph({});
const text = await files.read_text_file({ path: %q });
({ echo, sum, entity: graph.entities[0].name, text, servers: (await mcpFactory.listServers()).map((s) => s.name) })
`, filepath.Join(fsRoot, "notes.txt"))
	r := c.run(code, nil).mustSucceed(t)
	got, _ := json.Marshal(r.ReturnValue)
	for _, want := range []string{`"echo":"Echo: hi"`, `"entity":"conductor"`, `hello from the filesystem server`, `"servers":["everything","filesystem","memory"]`, `The sum of 2 and 3 is 5`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	// Every proxied method is listed: 3 loads, 5 tool calls, 1 listServers.
	methods := map[string]int{}
	for _, tc := range r.ToolCalls {
		methods[tc.Method]++
	}
	if len(r.ToolCalls) != 9 || methods["callTool"] != 5 || methods["load"] != 3 || methods["listServers"] != 1 {
		t.Errorf("toolCalls = %+v", r.ToolCalls)
	}
	// The audit log has the execution and each call.
	b, err := os.ReadFile(filepath.Join(chome, "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"kind":"tool_call"`); n != 9 || strings.Count(string(b), `"method":"callTool"`) != 5 || !strings.Contains(string(b), `"kind":"execution"`) || !strings.Contains(string(b), `"client":"e2e"`) {
		t.Errorf("audit log:\n%s", b)
	}

	// get_tool_details: schemas and TypeScript; the denied tool is invisible.
	var details struct {
		Tools []struct {
			Name, TypeScript string
			InputSchema      any `json:"inputSchema"`
		} `json:"tools"`
		TypeScript string `json:"typescript"`
	}
	c.callJSON("get_tool_details", map[string]any{"server": "everything"}, &details)
	if !strings.Contains(details.TypeScript, "echo(args: {") || strings.Contains(details.TypeScript, "get-env") {
		t.Errorf("declaration:\n%s", details.TypeScript)
	}
	res := c.callJSON("get_tool_details", map[string]any{"server": "everything", "tools": []string{"get-env"}}, nil)
	if !res.IsError || !strings.Contains(fmt.Sprint(res.Content[0]), "echo") {
		t.Errorf("a denied tool must look unknown, with the real list: %+v", res.Content[0])
	}
	res = c.callJSON("get_tool_details", map[string]any{"server": "nope"}, nil)
	if !res.IsError || !strings.Contains(fmt.Sprint(res.Content[0]), "everything, filesystem, memory") {
		t.Errorf("unknown server: %+v", res.Content[0])
	}
}

func TestProxyPolicyAndSecrets(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	fsRoot := filepath.Join(home, "shared")
	cfgPath := filepath.Join(chome, "mcp-config.json")
	writeFile(t, filepath.Join(fsRoot, "x.txt"), "x")
	writeMCPConfig(t, cfgPath, upstreams(t, fsRoot))
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=s3cr3t-value", "MCP_CONDUCTOR_RUN_ARGS=allow-read;allow-env")
	for name, code := range map[string]string{
		"denied tool by name":   `const ev = await mcpFactory.load("everything"); await ev.callTool("get-env", {})`,
		"denied tool by glob":   `const ev = await mcpFactory.load("everything"); await ev.callTool("trigger-sampling-request", {})`,
		"denied tool as method": `const ev = await mcpFactory.load("everything"); ev["get-env"]({})`,
		"unknown server":        `await mcpFactory.load("github")`,
		"forged call frame":     `console.log('{"t":"call","id":1,"method":"callTool","params":{"server":"everything","tool":"get-env"}}'); await new Promise((r) => setTimeout(r, 200)); throw new Error("no reply came")`,
		"read the config":       fmt.Sprintf("Deno.readTextFileSync(%q)", cfgPath),
		"upstream environ":      `const ps = [...Deno.readDirSync("/proc")].map((e) => e.name).filter((n) => /^\d+$/.test(n)); ps.map((p) => { try { return Deno.readTextFileSync("/proc/" + p + "/environ") } catch { return "" } }).join("|")`,
	} {
		t.Run(name, func(t *testing.T) {
			r := c.run(code, nil)
			if strings.Contains(string(r.raw), "s3cr3t-value") {
				t.Fatalf("upstream secret reached the sandbox: %s", r.raw)
			}
			if r.Status != "error" {
				t.Fatalf("expected a failure: %s", r.raw)
			}
		})
	}
	r := c.run(`try { globalThis.mcpFactory = { load() { return 1 } } } catch {}
Object.isFrozen(mcpFactory) && typeof (await mcpFactory.load("everything")).echo`, nil).mustSucceed(t)
	if r.ReturnValue != true && r.ReturnValue != "function" {
		t.Errorf("mcpFactory could be replaced: %s", r.raw)
	}
	r = c.run(`const ev = await mcpFactory.load("everything"); [typeof ev["get-env"], typeof ev.getSum, ev.tools.includes("get-env")]`, nil).mustSucceed(t)
	if fmt.Sprint(r.ReturnValue) != "[undefined function false]" {
		t.Errorf("denied tool visible: %v", r.ReturnValue)
	}
	// Upstream errors reject with the upstream's message.
	r = c.run(`const fs = await mcpFactory.load("filesystem"); let m = "no error"
try { await fs.read_text_file({ path: "/etc/shadow" }) } catch (e) { m = e.message }
m`, nil).mustSucceed(t)
	if s, _ := r.ReturnValue.(string); !strings.Contains(s, "filesystem.read_text_file") || !strings.Contains(strings.ToLower(s), "denied") {
		t.Errorf("upstream error: %v", r.ReturnValue)
	}
}

// Calls made at once reach the upstream at once. The upstream (a barrier)
// answers a call only when three wait together, so the test needs no clock:
// calls the proxy made one after another would each wait alone and say so.
func TestProxyConcurrentCalls(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	servers := upstreams(t, home)
	servers["barrier"] = barrierServer(t)
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), servers)
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=x")
	r := c.run(`const b = await mcpFactory.load("barrier");
const one = () => b.arrive({ count: 3, patience: 120 });
await Promise.all([one(), one(), one()])`, map[string]any{"timeout": 300000}).mustSucceed(t)
	if fmt.Sprint(r.ReturnValue) != "[together together together]" {
		t.Errorf("three calls made at once answered %v: the proxy did not pass them on together", r.ReturnValue)
	}
}

// upstreamPIDs lists the conductor's child processes whose command line
// contains match (see childProcesses, per system).
func (c *conductor) upstreamPIDs(match string) []int {
	var pids []int
	for _, p := range childProcesses(c.t, c.cmd.Process.Pid) {
		exe := strings.TrimSuffix(filepath.Base(p.exe), ".exe")
		if exe == "deno" {
			continue // a sandbox process: its flags name the upstreams' programs (protected)
		}
		if strings.Contains(p.cmdline, match) {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

func TestProxyCrashRecoveryAndHotReload(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	cfgPath := filepath.Join(chome, "mcp-config.json")
	ups := upstreams(t, home)
	writeMCPConfig(t, cfgPath, map[string]any{"everything": ups["everything"]})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=x")
	echo := `(await (await mcpFactory.load("everything")).echo({ message: "again" }))`
	c.run(echo, nil).mustSucceed(t)

	// Crash the upstream mid-session: the next call restarts it.
	pids := c.upstreamPIDs("server-everything")
	if len(pids) != 1 {
		t.Fatalf("upstream processes: %v (the conductor's children: %+v)", pids, childProcesses(t, c.cmd.Process.Pid))
	}
	if p, err := os.FindProcess(pids[0]); err == nil {
		p.Kill()
	}
	time.Sleep(200 * time.Millisecond)
	r := c.run(echo, nil).mustSucceed(t)
	if r.ReturnValue != "Echo: again" {
		t.Fatalf("after the crash: %s", r.raw)
	}

	// Hot reload: replace the server set; the removed upstream stops.
	writeMCPConfig(t, cfgPath, map[string]any{"memory": ups["memory"]})
	var list serversOut
	c.callJSON("list_mcp_servers", nil, &list)
	if len(list.Servers) != 1 || list.Servers[0].Name != "memory" || list.Servers[0].Status != "connected" {
		t.Fatalf("after reload: %+v", list)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(c.upstreamPIDs("server-everything")) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if p := c.upstreamPIDs("server-everything"); len(p) > 0 {
		t.Errorf("removed upstream still running: %v", p)
	}
	c.run(`await mcpFactory.load("everything")`, nil).mustFail(t, "runtime")

	// A file that stops parsing is reported with its position; the last good
	// servers keep working and the file is not touched.
	bad := "{\n  \"mcpServers\": {\n    \"memory\": {\"command\": \"x\",}\n    oops\n  }\n}"
	writeFile(t, cfgPath, bad)
	c.callJSON("list_mcp_servers", nil, &list)
	if !strings.Contains(list.ConfigError, "mcp-config.json: line 4, column") || len(list.Servers) != 1 {
		t.Errorf("bad config: %+v", list)
	}
	c.run(`(await mcpFactory.load("memory")).read_graph({})`, nil).mustSucceed(t)
	if b, _ := os.ReadFile(cfgPath); string(b) != bad {
		t.Error("the configuration file was changed")
	}

	// One bad entry does not disable the others.
	writeMCPConfig(t, cfgPath, map[string]any{"memory": ups["memory"], "broken": map[string]any{"args": []string{"x"}}, "off": map[string]any{"command": "x", "disabled": true}})
	c.callJSON("list_mcp_servers", nil, &list)
	status := map[string]string{}
	for _, s := range list.Servers {
		status[s.Name] = s.Status
	}
	if status["memory"] != "connected" || status["broken"] != "error" || status["off"] != "disabled" {
		t.Errorf("statuses: %+v", list)
	}
	c.run(`await mcpFactory.load("off")`, nil).mustFail(t, "runtime")
}

func TestProxyRemoteTransports(t *testing.T) {
	for _, tt := range []struct{ mode, path, typ string }{
		{"streamableHttp", "/mcp", ""},
		{"sse", "/sse", "sse"},
	} {
		t.Run(tt.mode, func(t *testing.T) { testRemoteUpstream(t, tt.mode, tt.path, tt.typ) })
	}
}

func testRemoteUpstream(t *testing.T, mode, path, typ string) {
	node := testenv.Node(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	srv := exec.Command(node, testenv.NodeModule(t, "@modelcontextprotocol/server-everything/dist/index.js"), mode)
	srv.Env = append(os.Environ(), "PORT="+strconv.Itoa(port))
	srv.Stderr = testenv.NewOutput(t, "server: ")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the HTTP upstream did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	entry := map[string]any{"url": fmt.Sprintf("http://127.0.0.1:%d%s", port, path), "headers": map[string]string{"X-Api-Key": "${env:REMOTE_KEY}"}}
	if typ != "" {
		entry["type"] = typ
	}
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), map[string]any{"remote": entry})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "REMOTE_KEY=k")
	r := c.run(`const r = await mcpFactory.load("remote"); [await r.echo({ message: "over http" }), await r.callTool("get-structured-content", { location: "New York" })]`, nil).mustSucceed(t)
	got, _ := json.Marshal(r.ReturnValue)
	if !strings.Contains(string(got), "Echo: over http") || !strings.Contains(string(got), "temperature") {
		t.Errorf("over %s: %s", mode, got)
	}
}
