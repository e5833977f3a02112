package server

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// pythonToolName is the Python tool's name.
const pythonToolName = "run_python_code"

// pyIdentPattern is the rule for a Python global's name.
const pyIdentPattern = `^[A-Za-z_][A-Za-z0-9_]*$`

// pythonArgs are run_python_code's argument names, in the schema's order.
var pythonArgs = []string{"python_code", "timeout", "globals", "packages"}

// pythonTool is run_python_code's definition under policy.
func pythonTool(policy config.Policy) *mcp.Tool {
	return &mcp.Tool{
		Name:         pythonToolName,
		Title:        "Run Python Code",
		Description:  pythonDescription(policy),
		InputSchema:  pythonInputSchema(),
		OutputSchema: runOutputSchema(),
		Annotations:  &mcp.ToolAnnotations{OpenWorldHint: ptr(policy.Grants.Has(config.PermNet))},
	}
}

// pythonInputSchema is run_python_code's input schema.
func pythonInputSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type: "object",
		Properties: map[string]*jsonschema.Schema{
			"python_code": {Type: "string", Description: "Python 3 to run (top-level await works). The value of the last expression is returned."},
			"timeout":     timeoutSchema(),
			"globals": {Type: "object", AdditionalProperties: &jsonschema.Schema{}, PropertyNames: &jsonschema.Schema{Type: "string", Pattern: pyIdentPattern},
				Description: "JSON values bound as Python global variables, by name (each a Python identifier)"},
			"packages": {Type: "array", Items: &jsonschema.Schema{Type: "string"}, Description: "Python packages to make importable, by name; only the administrator's allowlist, at its versions"},
		},
		PropertyOrder:        pythonArgs,
		Required:             []string{"python_code"},
		AdditionalProperties: falseSchema(),
	}
}

// runPythonCode handles run_python_code: the same envelope as
// run_deno_code, and the same approvals (asked of the client, in rounds
// too, or of the desktop app) and progress.
func (s *Server) runPythonCode(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if req.Params.RequestState != "" {
		return s.resume(ctx, req, runResult(failure(kindInput, errGone.Error()))), nil
	}
	in, err := decodePython(req.Params.Arguments)
	if err != nil {
		return runResult(failure(kindInput, err.Error())), nil
	}
	return s.run(ctx, req, in), nil
}

// decodePython checks run_python_code's arguments (see pythonInputSchema).
func decodePython(raw json.RawMessage) (RunInput, error) {
	in := RunInput{Python: true}
	a, err := parseArgs(pythonToolName, raw, pythonArgs...)
	if err != nil {
		return in, err
	}
	if in.DenoCode, err = a.String("python_code", true, "the code to run, as a string"); err != nil {
		return in, err
	}
	if in.Timeout, err = a.Millis("timeout"); err != nil {
		return in, err
	}
	if in.Globals, err = a.PythonGlobals("globals"); err != nil {
		return in, err
	}
	in.Dependencies, err = a.Strings("packages", `package names such as "numpy"`)
	return in, err
}

func pythonDescription(p config.Policy) string {
	var b strings.Builder
	b.WriteString("Run Python 3 (Pyodide) in a fresh interpreter, in the same sandbox as run_deno_code, and return its result.\n\n")
	b.WriteString("- Top-level await works. The value of the last expression is returned as `returnValue` (JSON; other values become their repr).\n")
	b.WriteString("- `print` output comes back in `stdout`, errors in `stderr`; failures carry `error.type`: " + errorTypeDoc + ", with the traceback.\n")
	fmt.Fprintf(&b, "- Time limit: %d ms by default, at most %d ms (pass `timeout`). Output: %d bytes per stream.\n",
		p.DefaultTimeout.Milliseconds(), p.MaxTimeout.Milliseconds(), p.MaxOutputBytes)
	if p.Grants.IsZero() {
		b.WriteString("- Permissions: none (no file, network or environment access; no subprocesses).\n")
	} else {
		fmt.Fprintf(&b, "- Permissions (set by the administrator; cannot be changed from here): %s. %s\n", strings.Join(p.Grants.DenoFlags(), " "), pythonFolders(p.Workspace))
	}
	if len(p.PythonPackages) > 0 {
		var names []string
		for _, x := range p.PythonPackages {
			names = append(names, x.String())
		}
		fmt.Fprintf(&b, "- Packages (pass the ones you import in `packages`, e.g. [\"%s\"]; versions are fixed): %s. The standard library is always there.\n", p.PythonPackages[0].Name, strings.Join(names, ", "))
	} else {
		b.WriteString("- Only the standard library can be imported.\n")
	}
	b.WriteString("- MCP servers configured by the administrator are reachable through the global `mcp_factory`: `srv = await mcp_factory.load(\"name\")`, then `await srv.call_tool(\"tool\", {...})` or `await srv.tool_name(arg=...)`. Use list_mcp_servers and get_tool_details to discover them and their Python signatures.\n")
	return b.String()
}

// pythonFolders says where Python finds the workspace and the grants
// (sandbox.PythonPath): at their own paths, or on Windows at Unix-style
// ones.
func pythonFolders(workspace string) string {
	if runtime.GOOS != "windows" {
		return fmt.Sprintf("The working folder is %s; granted folders are seen at their own paths.", workspace)
	}
	at, ok := sandbox.PythonPath(workspace)
	if !ok {
		return `Granted folders are seen at Unix-style paths: C:\Users\me\data is /c/Users/me/data.`
	}
	return fmt.Sprintf(`The working folder is %s (%s); granted folders are seen at Unix-style paths: C:\Users\me\data is /c/Users/me/data.`, at, workspace)
}
