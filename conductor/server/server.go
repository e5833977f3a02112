// Package server exposes the conductor's services as an MCP server: the
// run_deno_code tool (and, with upstream servers configured, the proxy's
// discovery tools) over stdio or streamable HTTP.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// Name is the server's MCP implementation name.
const Name = "mcp-conductor"

// Options configure a Server.
type Options struct {
	Version string
	Runner  *sandbox.Runner
	Proxy   *proxy.Manager // upstream MCP servers; nil: none
	Audit   *audit.Log     // nil: no audit log
	// OnExecution, if set, is called after every execution (for the GUI).
	OnExecution func(audit.Record)
}

// Server is the conductor's MCP server. One Server serves any number of
// sessions, over any transports.
type Server struct {
	mcp  *mcp.Server
	opts Options

	mu     sync.RWMutex
	policy config.Policy
	runner *sandbox.Runner
}

// New builds the MCP server for policy, running code with opts.Runner.
func New(policy config.Policy, opts Options) *Server {
	s := &Server{opts: opts}
	s.mcp = mcp.NewServer(&mcp.Implementation{Name: Name, Title: "MCP Conductor", Version: opts.Version}, &mcp.ServerOptions{
		Instructions: `Call "run_deno_code" to execute TypeScript/JavaScript in a fresh Deno sandbox, or "run_python_code" (when listed) to execute Python in a fresh interpreter in the same sandbox; the value of the last expression is returned.`,
	})
	s.SetPolicy(policy, opts.Runner)
	if opts.Proxy != nil {
		s.addProxyTools()
	}
	return s
}

// SetPolicy switches to a new policy and the runner built for it. The tool's
// description (which tells the model its permissions) is updated, and
// connected clients are told the tool list changed. Executions already
// running finish under the runner they started with.
func (s *Server) SetPolicy(policy config.Policy, runner *sandbox.Runner) {
	s.mu.Lock()
	s.policy, s.runner = policy, runner
	s.mu.Unlock()
	s.mcp.AddTool(runTool(policy), s.runDenoCode)
	// run_python_code is listed only where it can run; a change either way
	// tells connected clients the tool list changed.
	if runner.Python().Enabled {
		s.mcp.AddTool(pythonTool(policy), s.runPythonCode)
	} else {
		s.mcp.RemoveTools(pythonToolName)
	}
}

// MCP returns the underlying go-sdk server, to serve over any transport.
func (s *Server) MCP() *mcp.Server { return s.mcp }

// RunInput is what to run: run_deno_code's arguments, decoded.
type RunInput struct {
	DenoCode     string
	Timeout      int64 // milliseconds; 0: the policy's default
	Globals      map[string]any
	Dependencies []string
	// Python runs DenoCode as Python (run_python_code).
	Python bool
}

// Execute runs code exactly as run_deno_code does, recording it in the audit
// log under the given client name. The tray app's Playground uses it.
func (s *Server) Execute(ctx context.Context, client string, in RunInput) (*sandbox.Result, error) {
	if in.Timeout < 0 {
		return nil, fmt.Errorf("the timeout must be a non-negative number of milliseconds, got %d", in.Timeout)
	}
	job := sandbox.Job{
		Code:         in.DenoCode,
		Timeout:      time.Duration(in.Timeout) * time.Millisecond,
		Globals:      in.Globals,
		Dependencies: in.Dependencies,
		Python:       in.Python,
	}
	if s.opts.Proxy != nil {
		job.Servers = s.opts.Proxy.Names()
		job.Calls = s.opts.Proxy.Handle
	}
	s.mu.RLock()
	runner := s.runner
	s.mu.RUnlock()
	started := time.Now()
	res, err := runner.Run(ctx, job)
	if err != nil {
		return nil, err
	}
	lang := ""
	if in.Python {
		lang = "python"
	}
	s.record(client, in.DenoCode, lang, started, res)
	return res, nil
}

// record writes the execution and its tool calls to the audit log.
func (s *Server) record(client, code, lang string, started time.Time, res *sandbox.Result) {
	id := newID()
	exec := audit.Record{
		Time: started.UTC(), Kind: "execution", ExecutionID: id, Client: client,
		Status: res.Status, DurationMs: res.ExecutionTimeMs, Code: code, Language: lang,
		Stdout: res.Stdout, Stderr: res.Stderr, ToolCalls: len(res.Calls) + res.CallsNotRecorded, CallsNotRecorded: res.CallsNotRecorded,
	}
	if res.Error != nil {
		exec.ErrorType, exec.Error = string(res.Error.Type), res.Error.Message
	}
	recs := []audit.Record{exec}
	for _, c := range res.Calls {
		ok := c.OK
		recs = append(recs, audit.Record{
			Time: started.UTC(), Kind: "tool_call", ExecutionID: id, Method: c.Method, Server: c.Server, Tool: c.Tool,
			Args: audit.Redact(c.Args), DurationMs: c.DurationMs, OK: &ok, Error: c.Error,
		})
	}
	if s.opts.Audit != nil {
		_ = s.opts.Audit.Append(recs...)
	}
	if s.opts.OnExecution != nil {
		s.opts.OnExecution(exec)
	}
}

func clientName(req *mcp.CallToolRequest) string {
	if req == nil || req.Session == nil {
		return ""
	}
	if p := req.Session.InitializeParams(); p != nil && p.ClientInfo != nil {
		return p.ClientInfo.Name
	}
	return ""
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func runDescription(p config.Policy) string {
	var b strings.Builder
	b.WriteString("Run TypeScript/JavaScript in a fresh, sandboxed Deno process and return its result.\n\n")
	b.WriteString("- The code is an ES module: top-level await and `import` work. The value of the last expression statement is returned as `returnValue` (JSON; other values become descriptive strings).\n")
	b.WriteString("- `console.log` output comes back in `stdout`, errors in `stderr`; failures carry `error.type`: " + errorTypeDoc + ".\n")
	fmt.Fprintf(&b, "- Time limit: %d ms by default, at most %d ms (pass `timeout`). Heap: %d MB. Output: %d bytes per stream.\n",
		p.DefaultTimeout.Milliseconds(), p.MaxTimeout.Milliseconds(), p.MaxMemoryMB, p.MaxOutputBytes)
	if p.Grants.IsZero() {
		b.WriteString("- Permissions: none (no file, network, environment or subprocess access). Pure computation only.\n")
	} else {
		fmt.Fprintf(&b, "- Permissions (set by the administrator; cannot be changed from here): %s. The working folder is %s.\n", strings.Join(p.Grants.DenoFlags(), " "), p.Workspace)
	}
	if e := p.Packages.Entries(); len(e) > 0 {
		fmt.Fprintf(&b, "- Importable packages (versions are fixed; import without a version, e.g. `import x from \"%s\"`): %s. Node built-ins (`node:…`) are available too.\n", allowlist.Spec{Registry: e[0].Registry, Name: e[0].Name}.String(), p.Packages.String())
	} else {
		b.WriteString("- No third-party packages can be imported; Node built-ins (`node:…`) and Web APIs are available.\n")
	}
	b.WriteString("- MCP servers configured by the administrator are reachable from the code through the global `mcpFactory`: `const gh = await mcpFactory.load(\"name\"); await gh.callTool(\"tool\", {...})` or `await gh.tool_name({...})`. Use list_mcp_servers and get_tool_details to discover them and their TypeScript signatures. Calls can run concurrently (Promise.all).\n")
	return b.String()
}

func ptr[T any](v T) *T { return &v }
