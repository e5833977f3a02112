package proxy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// errNoAnswer is the cause of a request's context when CallTimeout ends it.
var errNoAnswer = errors.New("the MCP server did not answer in time")

// request sends one request (all pages of a list) to the upstream,
// connecting first if needed. It gets Options.CallTimeout, whatever the
// caller's context allows; a server that does not answer in time is an
// error naming the server, the method and the limit. If the connection
// turns out to be dead, it is restarted and the request sent once more.
func (u *upstream) request(ctx context.Context, method string, do func(context.Context, *mcp.ClientSession) error) error {
	for attempt := 0; ; attempt++ {
		s, err := u.connect(ctx)
		if err != nil {
			return err
		}
		rctx, cancel := context.WithTimeoutCause(ctx, u.m.opts.CallTimeout, errNoAnswer)
		err = do(rctx, s)
		timedOut := errors.Is(context.Cause(rctx), errNoAnswer)
		cancel()
		switch {
		case err == nil:
			return nil
		case timedOut && ctx.Err() == nil:
			return fmt.Errorf("MCP server %q: %s did not answer within %v; try again, or check that the server works", u.cfg.Name, method, u.m.opts.CallTimeout)
		case attempt == 0 && ctx.Err() == nil && isConnectionLost(err):
			u.dropSession(s)
			continue
		default:
			return fmt.Errorf("MCP server %q: %s: %w", u.cfg.Name, method, err)
		}
	}
}

// listTools returns the server's tools that the policy allows, following
// pagination; the list is cached until the server says it changed.
func (u *upstream) listTools(ctx context.Context) ([]*mcp.Tool, error) {
	var all []*mcp.Tool
	err := u.request(ctx, "tools/list", func(ctx context.Context, s *mcp.ClientSession) error {
		u.mu.Lock()
		all = u.tools
		u.mu.Unlock()
		if all != nil {
			return nil
		}
		fetched := []*mcp.Tool{}
		for t, err := range s.Tools(ctx, nil) {
			if err != nil {
				return err
			}
			fetched = append(fetched, t)
		}
		u.mu.Lock()
		if u.session == s {
			u.tools = fetched
		}
		u.mu.Unlock()
		all = fetched
		return nil
	})
	if err != nil {
		return nil, err
	}
	var allowed []*mcp.Tool
	for _, t := range all {
		if u.policy().ToolAllowed(t.Name) {
			allowed = append(allowed, t)
		}
	}
	sort.Slice(allowed, func(i, j int) bool { return allowed[i].Name < allowed[j].Name })
	return allowed, nil
}

// tool returns one allowed tool, or an error naming the ones that exist.
func (u *upstream) tool(ctx context.Context, name string) (*mcp.Tool, error) {
	tools, err := u.listTools(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tools {
		if t.Name == name {
			return t, nil
		}
	}
	var names []string
	for _, t := range tools {
		names = append(names, t.Name)
	}
	return nil, fmt.Errorf("MCP server %q has no tool %q; its tools: %s", u.cfg.Name, name, strings.Join(names, ", "))
}

// callTool calls an allowed tool.
func (u *upstream) callTool(ctx context.Context, name string, args any) (*mcp.CallToolResult, error) {
	if _, err := u.tool(ctx, name); err != nil {
		return nil, err
	}
	var res *mcp.CallToolResult
	err := u.request(ctx, fmt.Sprintf("tools/call %q", name), func(ctx context.Context, s *mcp.ClientSession) (err error) {
		res, err = s.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
		return err
	})
	return res, err
}

// listResources returns all the server's resources.
func (u *upstream) listResources(ctx context.Context) ([]*mcp.Resource, error) {
	var out []*mcp.Resource
	err := u.request(ctx, "resources/list", func(ctx context.Context, s *mcp.ClientSession) error {
		out = []*mcp.Resource{}
		for r, err := range s.Resources(ctx, nil) {
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// readResource reads one resource.
func (u *upstream) readResource(ctx context.Context, uri string) (*mcp.ReadResourceResult, error) {
	var res *mcp.ReadResourceResult
	err := u.request(ctx, fmt.Sprintf("resources/read %q", uri), func(ctx context.Context, s *mcp.ClientSession) (err error) {
		res, err = s.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		return err
	})
	return res, err
}

// listPrompts returns all the server's prompts.
func (u *upstream) listPrompts(ctx context.Context) ([]*mcp.Prompt, error) {
	var out []*mcp.Prompt
	err := u.request(ctx, "prompts/list", func(ctx context.Context, s *mcp.ClientSession) error {
		out = []*mcp.Prompt{}
		for p, err := range s.Prompts(ctx, nil) {
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// getPrompt renders one prompt.
func (u *upstream) getPrompt(ctx context.Context, name string, args map[string]string) (*mcp.GetPromptResult, error) {
	var res *mcp.GetPromptResult
	err := u.request(ctx, fmt.Sprintf("prompts/get %q", name), func(ctx context.Context, s *mcp.ClientSession) (err error) {
		res, err = s.GetPrompt(ctx, &mcp.GetPromptParams{Name: name, Arguments: args})
		return err
	})
	return res, err
}

func (u *upstream) dropSession(s *mcp.ClientSession) {
	u.mu.Lock()
	if u.session == s {
		u.session, u.tools = nil, nil
		u.cancel()
	}
	u.mu.Unlock()
	s.Close()
}

func isConnectionLost(err error) bool {
	if errors.Is(err, mcp.ErrConnectionClosed) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection closed") || strings.Contains(msg, "EOF") || strings.Contains(msg, "broken pipe")
}
