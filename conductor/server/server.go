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
	// AskApp, if set, is who asks the person when the MCP client that
	// started an execution cannot (it has no elicitation), and for
	// Execute: the desktop app. noClient says why the client cannot ask
	// ("" for Execute). nil: no one, and such calls are denied.
	AskApp func(client, noClient string) proxy.Asker
	// ApprovalTimeout bounds the wait for a person's answer to one
	// question the server asks itself (a skill save); 0: the proxy's
	// default. The proxy has its own for tool calls.
	ApprovalTimeout time.Duration
}

// Server is the conductor's MCP server. One Server serves any number of
// sessions, over any transports.
type Server struct {
	mcp  *mcp.Server
	opts Options

	mu     sync.RWMutex
	policy config.Policy
	runner *sandbox.Runner

	held heldRuns // executions waiting for a client's answer
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
	s.setSkillTools(policy)
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
// log under the given client name. The tray app's Playground uses it. A
// tool call that needs approval asks Options.AskApp, and is denied without
// it.
func (s *Server) Execute(ctx context.Context, client string, in RunInput) (*sandbox.Result, error) {
	return s.execute(ctx, client, in, s.appOptions(client, ""))
}

// runOptions are what one execution reports to and asks of the client.
type runOptions struct {
	ask      proxy.Asker // asked to approve the tool calls that need it; nil: no one
	nobody   string      // why no one can be asked, when ask is nil
	progress *reporter   // receives output lines and calls; nil: none
}

// execute runs in with opts.
func (s *Server) execute(ctx context.Context, client string, in RunInput, opts runOptions) (*sandbox.Result, error) {
	if in.Timeout < 0 {
		return nil, fmt.Errorf("the timeout must be a non-negative number of milliseconds, got %d", in.Timeout)
	}
	id := newID()
	job := sandbox.Job{
		Code:         in.DenoCode,
		Timeout:      time.Duration(in.Timeout) * time.Millisecond,
		Globals:      in.Globals,
		Dependencies: in.Dependencies,
		Python:       in.Python,
	}
	if s.opts.Proxy != nil {
		job.Servers = s.opts.Proxy.Names()
		job.Calls = s.opts.Proxy.Handler(proxy.ExecutionOptions{
			Ask:        opts.ask,
			Nobody:     opts.nobody,
			OnApproval: func(rec proxy.ApprovalRecord) { s.recordApproval(id, client, rec) },
		})
	}
	if opts.progress != nil {
		job.OnStdout = opts.progress.line
		if job.Calls != nil {
			job.Calls = opts.progress.calls(job.Calls)
		}
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
	s.record(id, client, in.DenoCode, lang, started, res)
	return res, nil
}

// resultOf is run_deno_code's answer for what execute returned.
func (s *Server) resultOf(res *sandbox.Result, err error) *mcp.CallToolResult {
	if err != nil {
		return runResult(failure(kindInternal, "the conductor could not run the code: "+err.Error()+"; try again, and if it keeps failing, tell the administrator"))
	}
	return runResult(res)
}

// recordApproval writes one approval decision to the audit log as it is
// made, so that who allowed what is kept even if the execution never ends.
func (s *Server) recordApproval(id, client string, rec proxy.ApprovalRecord) {
	if s.opts.Audit == nil {
		return
	}
	ok := rec.Allowed
	_ = s.opts.Audit.Append(audit.Record{
		Time: time.Now().UTC(), Kind: "approval", ExecutionID: id, Client: client,
		Server: rec.Server, Tool: rec.Tool, Args: rec.Args, OK: &ok,
		Rule: string(rec.Rule), Why: rec.Why, Decision: string(rec.Choice), Via: rec.Via, Approver: rec.Approver, Error: rec.Reason,
	})
}

// record writes the execution and its tool calls to the audit log.
func (s *Server) record(id, client, code, lang string, started time.Time, res *sandbox.Result) {
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
	if info := req.ClientInfo(); info != nil {
		return info.Name
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
	b.WriteString("- MCP servers configured by the administrator are reachable from the code through the global `mcpFactory`: `const gh = await mcpFactory.load(\"name\"); await gh.callTool(\"tool\", {...})` or `await gh.tool_name({...})`. Find tools with search_tools (by words, names or one-line descriptions first, full schemas only for the tools you will call; from code: `await mcpFactory.search(\"query\")`), or list_mcp_servers and get_tool_details. Calls can run concurrently (Promise.all). A call the administrator marked for approval waits for the user's answer (the wait counts toward the timeout) and rejects if denied.\n")
	return b.String()
}

func ptr[T any](v T) *T { return &v }
