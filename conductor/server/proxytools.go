package server

import (
	"context"
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
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	InputSchema  any    `json:"inputSchema"`
	OutputSchema any    `json:"outputSchema,omitempty"`
	TypeScript   string `json:"typescript" jsonschema:"the tool as a TypeScript method signature"`
}

// ToolDetailsOutput is get_tool_details' result.
type ToolDetailsOutput struct {
	Server     string       `json:"server"`
	Tools      []ToolDetail `json:"tools"`
	TypeScript string       `json:"typescript" jsonschema:"declaration of the object mcpFactory.load(server) returns"`
}

func (s *Server) addProxyTools() {
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:        "list_mcp_servers",
		Title:       "List MCP Servers",
		Description: "List the MCP servers that code run by run_deno_code can reach through mcpFactory: name, status (connected, error with its message, disabled), description, instructions and tool count.",
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, *ServersOutput, error) {
		p := s.opts.Proxy
		out := &ServersOutput{Servers: p.Servers(ctx, true), ConfigFile: p.Path()}
		if out.Servers == nil {
			out.Servers = []proxy.ServerInfo{}
		}
		if err := p.ConfigError(); err != nil {
			out.ConfigError = err.Error()
		}
		return nil, out, nil
	})
	mcp.AddTool(s.mcp, &mcp.Tool{
		Name:        "get_tool_details",
		Title:       "Get Tool Details",
		Description: "Describe tools of an upstream MCP server: full JSON schemas and a TypeScript declaration of each, to write typed calls from run_deno_code (const srv = await mcpFactory.load(server)).",
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, func(ctx context.Context, _ *mcp.CallToolRequest, in ToolDetailsInput) (*mcp.CallToolResult, *ToolDetailsOutput, error) {
		tools, err := s.opts.Proxy.Tools(ctx, in.Server)
		if err != nil {
			return nil, nil, err
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
				return nil, nil, fmt.Errorf("MCP server %q has no tool %s; its tools: %s", in.Server, strings.Join(unknown, ", "), strings.Join(names, ", "))
			}
			tools = picked
		}
		out := &ToolDetailsOutput{Server: in.Server, Tools: []ToolDetail{}, TypeScript: proxy.Declaration(in.Server, tools)}
		for _, t := range tools {
			out.Tools = append(out.Tools, ToolDetail{Name: t.Name, Description: t.Description, InputSchema: t.InputSchema, OutputSchema: t.OutputSchema, TypeScript: proxy.ToolDeclaration(t)})
		}
		return nil, out, nil
	})
}
