package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// conductor is a running `mcp-conductor --stdio` with a connected client.
type conductor struct {
	t       *testing.T
	home    string
	session *mcp.ClientSession
	cmd     *exec.Cmd
	stderr  *testenv.Output
}

// startConductor launches the real binary over stdio with a fresh home and
// the given extra environment (KEY=VALUE), the way an MCP client would.
func startConductor(t *testing.T, env ...string) *conductor {
	t.Helper()
	return startConductorWith(t, nil, nil, env...)
}

// startConductorWith is startConductor with the client's options (its
// elicitation handler, say) and session options (its protocol version).
func startConductorWith(t *testing.T, copts *mcp.ClientOptions, sopts *mcp.ClientSessionOptions, env ...string) *conductor {
	t.Helper()
	bin := testenv.Binary(t)
	deno := testenv.Deno(t)
	home := t.TempDir()
	cmd := exec.Command(bin, "--stdio")
	cmd.Env = osEnv(append([]string{
		"HOME=" + home,
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"MCP_CONDUCTOR_HOME=" + filepath.Join(home, ".mcp-conductor"),
		"MCP_CONDUCTOR_DENO=" + deno,
		"MCP_CONDUCTOR_PYODIDE=" + testenv.Pyodide(t),
	}, env...))
	// A machine's network setup (proxy, private CA, npm mirror) is what the
	// install step needs to reach the registry, as it would for a user.
	for _, k := range []string{"SSL_CERT_FILE", "SSL_CERT_DIR", "DENO_CERT", "DENO_TLS_CA_STORE", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "NPM_CONFIG_REGISTRY", "npm_config_registry"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	stderr := testenv.NewOutput(t, "server: ")
	cmd.Stderr = stderr
	// A process the server started may hold its stderr open after the
	// server is killed (Wine ends no Job Object's processes): Wait stops
	// copying then, instead of waiting for it.
	cmd.WaitDelay = 10 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "e2e", Version: "1"}, copts)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, sopts)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	c := &conductor{t: t, home: home, session: session, cmd: cmd, stderr: stderr}
	t.Cleanup(func() { session.Close() })
	return c
}

// runResult is run_deno_code's structured output as a client sees it.
type runResult struct {
	Status      string `json:"status"`
	ReturnValue any    `json:"returnValue"`
	Stdout      string `json:"stdout"`
	Stderr      string `json:"stderr"`
	Error       *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	ExecutionTimeMs float64 `json:"executionTimeMs"`
	ToolCalls       []struct {
		Method, Server, Tool string
		OK                   bool `json:"ok"`
	} `json:"toolCalls"`
	ToolCallsOmitted int `json:"toolCallsOmitted"`
	isError          bool
	raw              json.RawMessage
}

// run calls run_deno_code and decodes the structured result.
func (c *conductor) run(code string, extra map[string]any) runResult {
	c.t.Helper()
	return c.runTool("run_deno_code", "deno_code", code, extra)
}

// runTool calls a run tool (run_deno_code, run_python_code) with code as
// its codeArg and the extra arguments, and decodes the structured result,
// which must agree with isError.
func (c *conductor) runTool(tool, codeArg, code string, extra map[string]any) runResult {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	args := map[string]any{codeArg: code}
	for k, v := range extra {
		args[k] = v
	}
	res, err := c.session.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		c.t.Fatalf("CallTool: %v", err)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var out runResult
	if err := json.Unmarshal(raw, &out); err != nil || out.Status == "" {
		c.t.Fatalf("no structured result (%v): %s / %+v", err, raw, res.Content)
	}
	out.isError, out.raw = res.IsError, raw
	if (out.Status == "error") != res.IsError {
		c.t.Errorf("isError=%v but status=%q", res.IsError, out.Status)
	}
	return out
}

// mustSucceed fails the test unless the run succeeded.
func (r runResult) mustSucceed(t *testing.T) runResult {
	t.Helper()
	if r.Status != "success" {
		t.Fatalf("run failed: %s", r.raw)
	}
	return r
}

// mustFail fails the test unless the run failed with the given type.
func (r runResult) mustFail(t *testing.T, typ string) runResult {
	t.Helper()
	if r.Status != "error" || r.Error == nil || r.Error.Type != typ {
		t.Fatalf("want error of type %q, got %s", typ, r.raw)
	}
	return r
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testBinary(t *testing.T) string { return testenv.Binary(t) }

// toolDescription returns a tool's current description.
func (c *conductor) toolDescription(name string) string {
	c.t.Helper()
	res, err := c.session.ListTools(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, tool := range res.Tools {
		if tool.Name == name {
			return tool.Description
		}
	}
	return ""
}
