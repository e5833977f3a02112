package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

// ServersOutput is list_mcp_servers' result.
type ServersOutput struct {
	Servers     []proxy.ServerInfo `json:"servers"`
	ConfigFile  string             `json:"configFile"`
	ConfigError string             `json:"configError,omitempty" jsonschema:"why the configuration file cannot be read; the last good configuration stays in use"`
}

// ToolDetailsInput is get_tool_details' input.
type ToolDetailsInput struct {
	Server string   `json:"server" jsonschema:"server name, from list_mcp_servers"`
	Tools  []string `json:"tools,omitempty" jsonschema:"tool names to describe; all tools when omitted"`
}

// ToolDetail describes one upstream tool.
type ToolDetail struct {
	Name         string         `json:"name"`
	Description  string         `json:"description,omitempty"`
	InputSchema  map[string]any `json:"inputSchema" jsonschema:"the tool's JSON Schema for its arguments"`
	OutputSchema map[string]any `json:"outputSchema,omitempty" jsonschema:"the tool's JSON Schema for its structured result, if it declares one"`
	TypeScript   string         `json:"typescript" jsonschema:"the tool as a TypeScript method signature, after the named types it uses"`
	Python       string         `json:"python" jsonschema:"the tool as a method of the object mcp_factory.load(server) returns in run_python_code"`
}

// ToolDetailsOutput is get_tool_details' result.
type ToolDetailsOutput struct {
	Server     string       `json:"server"`
	Tools      []ToolDetail `json:"tools"`
	TypeScript string       `json:"typescript" jsonschema:"declaration of the object mcpFactory.load(server) returns"`
}

func (s *Server) addProxyTools() {
	s.addSearchTool()
	s.mcp.AddTool(&mcp.Tool{
		Name:         "list_mcp_servers",
		Title:        "List MCP Servers",
		Description:  "List the MCP servers that code run by run_deno_code can reach through mcpFactory: name, status (connected, error with its message, disabled), description, instructions and tool count.",
		InputSchema:  noArgsSchema(),
		OutputSchema: serversOutputSchema(),
		Annotations:  &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if _, err := parseArgs("list_mcp_servers", req.Params.Arguments); err != nil {
			return toolError(err), nil
		}
		return structured(s.listServers(ctx))
	})
	s.mcp.AddTool(&mcp.Tool{
		Name:         "get_tool_details",
		Title:        "Get Tool Details",
		Description:  "Describe tools of an upstream MCP server: full JSON schemas, a TypeScript declaration of each, to write typed calls from run_deno_code (const srv = await mcpFactory.load(server)), and a Python signature, for run_python_code (srv = await mcp_factory.load(server)).",
		InputSchema:  toolDetailsInputSchema(),
		OutputSchema: toolDetailsOutputSchema(),
		Annotations:  &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in ToolDetailsInput
		a, err := parseArgs("get_tool_details", req.Params.Arguments, "server", "tools")
		if err == nil {
			in.Server, err = a.String("server", true, "a server name from list_mcp_servers")
		}
		if err == nil {
			in.Tools, err = a.Strings("tools", "tool names")
		}
		if err != nil {
			return toolError(err), nil
		}
		out, err := s.toolDetails(ctx, in)
		if err != nil {
			return toolError(err), nil
		}
		return structured(out)
	})
}

// maxSearchLimit is the most tools one search_tools answer lists.
const maxSearchLimit = 50

// searchArgs are search_tools' argument names, in the schema's order.
var searchArgs = []string{"query", "server", "detail", "limit"}

func (s *Server) addSearchTool() {
	s.mcp.AddTool(&mcp.Tool{
		Name:  "search_tools",
		Title: "Search Tools",
		Description: "Find tools of the upstream MCP servers that code run by run_deno_code can call, by words of their names and descriptions, best first. " +
			"Start with detail \"names\" or \"descriptions\" (cheap), then ask \"full\" (JSON schemas and TypeScript signatures) for the few tools you will call. " +
			"From code: await mcpFactory.search(query, { server, detail, limit }).",
		InputSchema:  searchInputSchema(),
		OutputSchema: searchOutputSchema(),
		Annotations:  &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		a, err := parseArgs("search_tools", req.Params.Arguments, searchArgs...)
		var query, server, detail string
		var limit int
		if err == nil {
			query, err = a.String("query", true, "words to look for in tool names and descriptions, such as \"write file\"")
		}
		if err == nil {
			server, err = a.String("server", false, "a server name from list_mcp_servers")
		}
		if err == nil {
			detail, err = a.String("detail", false, "names, descriptions or full")
		}
		if err == nil {
			limit, err = a.Int("limit", 1, maxSearchLimit)
		}
		if err != nil {
			return toolError(err), nil
		}
		out, err := s.opts.Proxy.Search(ctx, query, proxy.SearchOptions{Server: server, Detail: proxy.Detail(detail), Limit: limit})
		if err != nil {
			return toolError(err), nil
		}
		return structured(out)
	})
}

func (s *Server) listServers(ctx context.Context) *ServersOutput {
	p := s.opts.Proxy
	out := &ServersOutput{Servers: p.Servers(ctx, true), ConfigFile: p.Path()}
	if out.Servers == nil {
		out.Servers = []proxy.ServerInfo{}
	}
	if err := p.ConfigError(); err != nil {
		out.ConfigError = err.Error()
	}
	return out
}

func (s *Server) toolDetails(ctx context.Context, in ToolDetailsInput) (*ToolDetailsOutput, error) {
	tools, err := s.opts.Proxy.Tools(ctx, in.Server)
	if err != nil {
		return nil, err
	}
	if len(in.Tools) > 0 {
		byName := map[string]*mcp.Tool{}
		var names []string
		for _, t := range tools {
			byName[t.Name] = t
			names = append(names, t.Name)
		}
		var picked []*mcp.Tool
		var unknown []string
		for _, n := range in.Tools {
			if t, ok := byName[n]; ok {
				picked = append(picked, t)
			} else {
				unknown = append(unknown, n)
			}
		}
		if len(unknown) > 0 {
			return nil, fmt.Errorf("MCP server %q has no tool %s; its tools: %s", in.Server, strings.Join(unknown, ", "), strings.Join(names, ", "))
		}
		tools = picked
	}
	out := &ToolDetailsOutput{Server: in.Server, Tools: []ToolDetail{}, TypeScript: proxy.Declaration(in.Server, tools)}
	for _, t := range tools {
		inSchema := proxy.SchemaMap(t.InputSchema)
		if inSchema == nil {
			inSchema = map[string]any{"type": "object"}
		}
		out.Tools = append(out.Tools, ToolDetail{Name: t.Name, Description: t.Description, InputSchema: inSchema, OutputSchema: proxy.SchemaMap(t.OutputSchema), TypeScript: proxy.ToolDeclaration(t), Python: proxy.PythonSignature(t)})
	}
	return out, nil
}

// schemaMap is an upstream tool's schema as a JSON object; nil if it has
// none (or one that is not an object, which MCP does not allow).

// structured is a tool result holding out as structuredContent and as
// JSON text.
func structured(out any) (*mcp.CallToolResult, error) {
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode the result: %w", err)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}, StructuredContent: json.RawMessage(b)}, nil
}

// toolError is a failed tool result that says why in one line of text.
func toolError(err error) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: err.Error()}}, IsError: true}
}
