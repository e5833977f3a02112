package server

import (
	"context"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// The error types the server adds to the sandbox's.
const (
	// kindInput: the arguments are invalid; nothing ran.
	kindInput sandbox.ErrorKind = "input"
	// kindInternal: the conductor could not run the code (Deno would not
	// start, the conductor is shutting down, ...).
	kindInternal sandbox.ErrorKind = "internal"
)

// runArgs are run_deno_code's argument names, in the schema's order.
var runArgs = []string{"deno_code", "timeout", "globals", "dependencies"}

// runTool is run_deno_code's definition under policy.
func runTool(policy config.Policy) *mcp.Tool {
	return &mcp.Tool{
		Name:         "run_deno_code",
		Title:        "Run Deno Code",
		Description:  runDescription(policy),
		InputSchema:  runInputSchema(),
		OutputSchema: runOutputSchema(),
		Annotations:  &mcp.ToolAnnotations{OpenWorldHint: ptr(policy.Grants.Has(config.PermNet))},
	}
}

// runDenoCode handles run_deno_code. Every answer, failures included, is a
// sandbox.Result as structuredContent and as JSON text, with isError set
// unless the code ran to success.
//
// A tool call that needs approval asks the client that sent the request,
// if it declared elicitation: during this call (elicitation/create), or,
// from protocol 2026-07-28 on, in rounds (the answer is a question, and
// the client's next call, with the answer, picks the execution up again).
// A client without elicitation is not asked: the desktop app is
// (Options.AskApp), and without it the call is denied.
func (s *Server) runDenoCode(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if req.Params.RequestState != "" {
		return s.resume(ctx, req, runResult(failure(kindInput, errGone.Error()))), nil
	}
	in, err := decodeRun(req.Params.Arguments)
	if err != nil {
		return runResult(failure(kindInput, err.Error())), nil
	}
	return s.run(ctx, req, in), nil
}

// run runs decoded arguments for the client that sent req, asking it,
// the desktop app or no one to approve calls, and reporting progress if
// the client asked for it: run_deno_code and run_python_code alike.
func (s *Server) run(ctx context.Context, req *mcp.CallToolRequest, in RunInput) *mcp.CallToolResult {
	noClient := "the MCP client that ran the code does not support elicitation (questions to the user)"
	return s.asking(ctx, req, noClient, true, func(ctx context.Context, opts runOptions) *mcp.CallToolResult {
		res, err := s.execute(ctx, clientName(req), in, opts)
		return s.resultOf(res, err)
	})
}

// decodeRun checks run_deno_code's arguments (see runInputSchema).
func decodeRun(raw json.RawMessage) (RunInput, error) {
	var in RunInput
	a, err := parseArgs("run_deno_code", raw, runArgs...)
	if err != nil {
		return in, err
	}
	if in.DenoCode, err = a.String("deno_code", true, "the code to run, as a string"); err != nil {
		return in, err
	}
	if in.Timeout, err = a.Millis("timeout"); err != nil {
		return in, err
	}
	if in.Globals, err = a.Globals("globals"); err != nil {
		return in, err
	}
	in.Dependencies, err = a.Strings("dependencies", `package specifiers such as "npm:zod"`)
	return in, err
}

// failure is a result for code that never ran.
func failure(kind sandbox.ErrorKind, msg string) *sandbox.Result {
	return &sandbox.Result{Status: "error", Error: &sandbox.ExecErr{Type: kind, Message: msg}}
}

// runResult puts res in a tool result: structuredContent, the same JSON as
// text, isError on failure.
func runResult(res *sandbox.Result) *mcp.CallToolResult {
	b, err := json.Marshal(res)
	if err != nil { // a return value the sandbox let through but JSON cannot carry
		res = failure(kindInternal, "the result could not be encoded as JSON: "+err.Error())
		b, _ = json.Marshal(res)
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{&mcp.TextContent{Text: string(b)}},
		StructuredContent: json.RawMessage(b),
		IsError:           res.Status != "success",
	}
}
