package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// redacted is what the conductor puts where a secret was.
const redacted = "[REDACTED]"

// newCanary returns a random secret that cannot occur by chance.

// callRaw calls a tool and returns the whole result as the client got it:
// content and structured content.
func (c *conductor) callRaw(tool string, args map[string]any) (*mcp.CallToolResult, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	res, err := c.session.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		c.t.Fatalf("%s: %v", tool, err)
	}
	b, _ := json.Marshal(res)
	return res, string(b)
}

// stop ends the conductor (it closes its upstreams, whose last words are
// logged) and returns everything it wrote on stderr.
func (c *conductor) stop() string {
	c.session.Close()
	return c.stderr.String()
}

// waitForLog waits until the conductor has logged want.
func (c *conductor) waitForLog(want string) {
	c.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(c.stderr.String(), want) {
		if time.Now().After(deadline) {
			c.t.Fatalf("the log never said %q:\n%s", want, c.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// noLeak fails the test if any canary is in text.
func noLeak(t *testing.T, where, text string, canaries ...string) {
	t.Helper()
	for _, c := range canaries {
		if strings.Contains(text, c) {
			t.Errorf("secret %s leaked into %s:\n%s", c, where, text)
		}
	}
}

// server-everything's get-env returns its whole environment, which holds
// what the conductor expanded from ${env:CANARY_SRC}.
func TestProxyScrubsSecretEchoedByEnvTool(t *testing.T) {
	node := testenv.Node(t)
	everything := testenv.NodeModule(t, "@modelcontextprotocol/server-everything/dist/index.js")
	// An upstream that prints the secret on stderr, which is logged, then
	// runs the server: through sh, or cmd on Windows.
	noisy := map[string]any{"env": map[string]string{"SECRET_CANARY": "${env:CANARY_SRC}"}}
	if runtime.GOOS == "windows" {
		noisy["command"] = "cmd.exe"
		noisy["args"] = []string{"/d", "/c", "echo noisy sees %SECRET_CANARY% 1>&2 && " + node + " " + everything + " stdio"}
	} else {
		sh, err := exec.LookPath("sh")
		if err != nil {
			testenv.Missing(t, "sh: %v", err)
		}
		noisy["command"] = sh
		noisy["args"] = []string{"-c", `echo "noisy sees $SECRET_CANARY" >&2; exec "$0" "$@"`, node, everything, "stdio"}
	}
	canary := newCanary(t)
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	env := map[string]string{"SECRET_CANARY": "${env:CANARY_SRC}"}
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), map[string]any{
		"everything": map[string]any{"command": node, "args": []string{everything, "stdio"}, "env": env},
		"noisy":      noisy,
	})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "CANARY_SRC="+canary)

	code := `const ev = await mcpFactory.load("everything");
const env = await ev.callTool("get-env", {});
console.log("env seen by the code: " + JSON.stringify(env));
const resources = await ev.listResources();
const read = await ev.readResource(resources[0].uri);
const prompts = await ev.listPrompts();
const simple = await ev.getPrompt("simple-prompt", {});
const blob = await ev.getPrompt("resource-prompt", { resourceType: "Blob", resourceId: "1" });
await mcpFactory.load("noisy");
({ env, resources: resources.length, read, prompts: prompts.map((p) => p.name), simple, blob,
   tools: (await ev.listTools()).map((t) => t.name), servers: await mcpFactory.listServers() })`
	res, raw := c.callRaw("run_deno_code", map[string]any{"deno_code": code})
	noLeak(t, "run_deno_code's result", raw, canary)
	if res.IsError {
		t.Fatalf("run failed: %s", raw)
	}
	var out struct {
		ReturnValue struct {
			Env       map[string]any `json:"env"`
			Resources int            `json:"resources"`
			Read      struct {
				Contents []struct{ URI, Text string } `json:"contents"`
			} `json:"read"`
			Prompts []string `json:"prompts"`
			Simple  struct {
				Messages []struct{ Role string } `json:"messages"`
			} `json:"simple"`
			Blob struct {
				Messages []struct {
					Content struct {
						Resource struct{ Blob string } `json:"resource"`
					} `json:"content"`
				} `json:"messages"`
			} `json:"blob"`
			Tools []string `json:"tools"`
		} `json:"returnValue"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	rv := out.ReturnValue
	if got := rv.Env["SECRET_CANARY"]; got != redacted {
		t.Errorf("SECRET_CANARY = %v, want %s", got, redacted)
	}
	if text, _ := json.Marshal(res.Content); !strings.Contains(string(text), redacted) {
		t.Errorf("the content text lacks %s: %s", redacted, text)
	}
	// Everything else arrives intact.
	if rv.Env["PATH"] == nil || rv.Env["PATH"] == redacted {
		t.Errorf("PATH = %v", rv.Env["PATH"])
	}
	if rv.Resources == 0 || len(rv.Read.Contents) == 0 || rv.Read.Contents[0].Text == "" || !strings.HasPrefix(rv.Read.Contents[0].URI, "demo://") {
		t.Errorf("resources: %d, read %+v", rv.Resources, rv.Read)
	}
	if !reflect.DeepEqual(rv.Prompts[:1], []string{"simple-prompt"}) || len(rv.Simple.Messages) == 0 || rv.Simple.Messages[0].Role != "user" {
		t.Errorf("prompts %v, simple %+v", rv.Prompts, rv.Simple)
	}
	if len(rv.Blob.Messages) < 2 {
		t.Errorf("blob prompt: %+v", rv.Blob)
	} else if _, err := base64.StdEncoding.DecodeString(rv.Blob.Messages[1].Content.Resource.Blob); err != nil {
		t.Errorf("blob no longer base64: %v", err)
	}
	if !strings.Contains(strings.Join(rv.Tools, ","), "get-env") {
		t.Errorf("tools %v", rv.Tools)
	}

	_, raw = c.callRaw("list_mcp_servers", nil)
	noLeak(t, "list_mcp_servers", raw, canary)
	_, raw = c.callRaw("get_tool_details", map[string]any{"server": "everything"})
	noLeak(t, "get_tool_details", raw, canary)

	c.waitForLog("noisy sees ")
	log := c.stop()
	noLeak(t, "the log", log, canary)
	if !strings.Contains(log, "noisy sees "+redacted) {
		t.Errorf("the upstream's stderr line is missing or unscrubbed:\n%s", log)
	}
	audit, err := os.ReadFile(filepath.Join(chome, "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	noLeak(t, "the audit log", string(audit), canary)
	if !strings.Contains(string(audit), "env seen by the code") || !strings.Contains(string(audit), redacted) {
		t.Errorf("the audit log lacks the code's output:\n%s", audit)
	}
}

// echoUpstream is a streamable-HTTP MCP server that wants a bearer token
// and returns it, every way it can, from its tools.
func echoUpstream(t *testing.T) string {
	srv := mcp.NewServer(&mcp.Implementation{Name: "echo", Version: "1"}, nil)
	object := map[string]any{"type": "object"}
	auth := func(req *mcp.CallToolRequest) string { return req.Extra.Header.Get("Authorization") }
	srv.AddTool(&mcp.Tool{Name: "structured", InputSchema: object}, func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		h := auth(req)
		escaped, _ := json.Marshal(map[string]string{"h": h})
		return &mcp.CallToolResult{
			Content: []mcp.Content{&mcp.TextContent{Text: h}},
			StructuredContent: map[string]any{
				"header":  h,
				"nested":  map[string]any{h: map[string]any{"deeper": []any{h, "keep-me"}}},
				"escaped": string(escaped),
			},
		}, nil
	})
	srv.AddTool(&mcp.Tool{Name: "content", InputSchema: object}, func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		h := auth(req)
		escaped, _ := json.Marshal(map[string]string{"h": h})
		return &mcp.CallToolResult{Content: []mcp.Content{
			&mcp.TextContent{Text: "Authorization: " + h},
			&mcp.TextContent{Text: "log line " + string(escaped) + " (not JSON as a whole)"},
			&mcp.ImageContent{MIMEType: "image/png", Data: []byte("PNG<" + h + ">END")},
			&mcp.AudioContent{MIMEType: "audio/wav", Data: []byte(h)},
			&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: "echo://blob", MIMEType: "application/octet-stream", Blob: []byte("BLOB:" + h)}},
		}}, nil
	})
	srv.AddTool(&mcp.Tool{Name: "text", InputSchema: object}, func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		b, _ := json.Marshal(map[string]string{"auth": auth(req), "plain": "unchanged"})
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}}, nil
	})
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close) // after the conductor, whose connection it would wait for
	return ts.URL + "/mcp"
}

func TestProxyScrubsHeaderSecretEchoedByUpstream(t *testing.T) {
	canary := newCanary(t)
	// Characters JSON and HTML escaping change, around the canary.
	token := `tk"` + canary + `\<&>`
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), map[string]any{
		"echo": map[string]any{"url": echoUpstream(t), "headers": map[string]string{"Authorization": "Bearer ${env:TOK}"}},
	})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "TOK="+token)
	code := `const e = await mcpFactory.load("echo");
({ structured: await e.structured({}), content: await e.content({}), text: await e.text({}) })`
	res, raw := c.callRaw("run_deno_code", map[string]any{"deno_code": code})
	noLeak(t, "run_deno_code's result", raw, canary)
	if res.IsError {
		t.Fatalf("run failed: %s", raw)
	}
	var out struct {
		ReturnValue struct {
			Structured any `json:"structured"`
			Content    []struct {
				Type, Text, Data string
				Resource         struct{ Blob string } `json:"resource"`
			} `json:"content"`
			Text any `json:"text"`
		} `json:"returnValue"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	rv := out.ReturnValue
	// The whole header value is one secret, and so is the bare token.
	wantStructured := map[string]any{
		"header":  redacted,
		"nested":  map[string]any{redacted: map[string]any{"deeper": []any{redacted, "keep-me"}}},
		"escaped": `{"h":"` + redacted + `"}`,
	}
	if !reflect.DeepEqual(rv.Structured, wantStructured) {
		t.Errorf("structured content = %#v\nwant %#v", rv.Structured, wantStructured)
	}
	if want := map[string]any{"auth": redacted, "plain": "unchanged"}; !reflect.DeepEqual(rv.Text, want) {
		t.Errorf("text parsed as JSON = %#v, want %#v", rv.Text, want)
	}
	if len(rv.Content) != 5 {
		t.Fatalf("content: %s", b)
	}
	decoded := func(s string) string {
		d, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Errorf("not base64 any more: %q", s)
		}
		return string(d)
	}
	for i, tt := range []struct{ got, want string }{
		{rv.Content[0].Text, "Authorization: " + redacted},
		{rv.Content[1].Text, `log line {"h":"` + redacted + `"} (not JSON as a whole)`},
		{decoded(rv.Content[2].Data), "PNG<" + redacted + ">END"},
		{decoded(rv.Content[3].Data), redacted},
		{decoded(rv.Content[4].Resource.Blob), "BLOB:" + redacted},
	} {
		if tt.got != tt.want {
			t.Errorf("content[%d] = %q, want %q", i, tt.got, tt.want)
		}
	}
	log := c.stop()
	noLeak(t, "the log", log, canary)
}

func TestProxyRedactsURLSecrets(t *testing.T) {
	// A port nothing listens on: connecting fails, and the error the HTTP
	// client makes quotes the URL.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	user, pass, key := "u-"+newCanary(t), "pw-"+newCanary(t), newCanary(t)
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), map[string]any{
		"remote": map[string]any{"url": fmt.Sprintf("http://%s:%s@127.0.0.1:%d/mcp?api_key=%s&mode=x", user, pass, port, key)},
	})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome)
	code := `let message = "no error";
try { await mcpFactory.load("remote") } catch (e) { message = e.message }
({ message, servers: await mcpFactory.listServers() })`
	res, raw := c.callRaw("run_deno_code", map[string]any{"deno_code": code})
	noLeak(t, "run_deno_code's result", raw, user, pass, key)
	var out struct {
		ReturnValue struct{ Message string } `json:"returnValue"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	t.Logf("the code sees: %s", out.ReturnValue.Message)
	if msg := out.ReturnValue.Message; !strings.Contains(msg, `connect to MCP server "remote"`) || !strings.Contains(msg, redacted) || strings.Contains(msg, "no answer within") {
		t.Errorf("error seen by the code: %q; want the connection error with the URL redacted", msg)
	}
	var list serversOut
	_, raw = c.callRaw("list_mcp_servers", nil)
	noLeak(t, "list_mcp_servers", raw, user, pass, key)
	c.callJSON("list_mcp_servers", nil, &list)
	if len(list.Servers) != 1 || list.Servers[0].Status != "error" || !strings.Contains(list.Servers[0].Error, redacted) {
		t.Errorf("list_mcp_servers: %+v", list)
	}
	log := c.stop()
	noLeak(t, "the log", log, user, pass, key)
	if !strings.Contains(log, `connect to MCP server \"remote\"`) { // as slog's text handler quotes it
		t.Errorf("the failure is not logged:\n%s", log)
	}
}

func TestProxyDenyPatternMatchesAcrossSlash(t *testing.T) {
	var deleted atomic.Bool
	srv := mcp.NewServer(&mcp.Implementation{Name: "repo", Version: "1"}, nil)
	object := map[string]any{"type": "object"}
	srv.AddTool(&mcp.Tool{Name: "delete_repo/force", InputSchema: object}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		deleted.Store(true)
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "deleted"}}}, nil
	})
	srv.AddTool(&mcp.Tool{Name: "read_repo/force", InputSchema: object}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "read"}}}, nil
	})
	ts := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	t.Cleanup(ts.Close) // after the conductor, whose connection it would wait for
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), map[string]any{
		"repo": map[string]any{"url": ts.URL, "denyTools": []string{"delete_*"}},
	})
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome)
	r := c.run(`const r = await mcpFactory.load("repo");
let denied = "called";
try { await r.callTool("delete_repo/force", {}) } catch (e) { denied = e.message }
({ tools: r.tools, read: await r.callTool("read_repo/force", {}), denied, listed: (await r.listTools()).map((t) => t.name) })`, nil).mustSucceed(t)
	got, _ := json.Marshal(r.ReturnValue)
	want := `{"denied":"MCP server \"repo\" has no tool \"delete_repo/force\"; its tools: read_repo/force","listed":["read_repo/force"],"read":"read","tools":["read_repo/force"]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if deleted.Load() {
		t.Error("the denied tool ran")
	}
	var details struct {
		Tools []struct{ Name string } `json:"tools"`
	}
	c.callJSON("get_tool_details", map[string]any{"server": "repo"}, &details)
	if len(details.Tools) != 1 || details.Tools[0].Name != "read_repo/force" {
		t.Errorf("get_tool_details: %+v", details)
	}
}
