package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ServerInfo describes one configured server for list_mcp_servers and
// mcpFactory.listServers().
type ServerInfo struct {
	Name         string `json:"name"`
	Status       string `json:"status" jsonschema:"connected, error, disabled or not connected"`
	Error        string `json:"error,omitempty"`
	Transport    string `json:"transport"`
	Description  string `json:"description,omitempty"`
	Instructions string `json:"instructions,omitempty"`
	Version      string `json:"version,omitempty"`
	ToolCount    int    `json:"toolCount"`
}

// Servers describes every configured server. With connect set, enabled
// servers are connected (concurrently) so that status and tool counts are
// real. Every text is redacted (see Redacted).
func (m *Manager) Servers(ctx context.Context, connect bool) []ServerInfo {
	m.reload()
	m.mu.Lock()
	ups := make([]*upstream, 0, len(m.order))
	for _, n := range m.order {
		ups = append(ups, m.servers[n])
	}
	m.mu.Unlock()
	out := make([]ServerInfo, len(ups))
	var wg sync.WaitGroup
	for i, u := range ups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = u.info(ctx, connect)
		}()
	}
	wg.Wait()
	for i, si := range out {
		for _, f := range []*string{&si.Name, &si.Error, &si.Description, &si.Instructions, &si.Version} {
			*f = m.Redact(*f)
		}
		out[i] = si
	}
	return out
}

func (u *upstream) info(ctx context.Context, connect bool) ServerInfo {
	si := ServerInfo{Name: u.cfg.Name, Transport: u.cfg.Transport(), Description: u.policy().Description}
	switch {
	case u.cfg.Err != nil:
		si.Status, si.Error = "error", u.cfg.Err.Error()
		return si
	case u.cfg.Disabled:
		si.Status = "disabled"
		return si
	}
	if connect {
		tools, err := u.listTools(ctx)
		if err != nil {
			si.Status, si.Error = "error", err.Error()
			return si
		}
		si.ToolCount = len(tools)
	}
	u.mu.Lock()
	s, lastErr := u.session, u.lastErr
	u.mu.Unlock()
	switch {
	case s != nil:
		si.Status = "connected"
		if ir := s.InitializeResult(); ir != nil {
			si.Instructions = ir.Instructions
			if ir.ServerInfo != nil {
				si.Version = ir.ServerInfo.Version
				if si.Description == "" {
					si.Description = firstNonEmpty(ir.ServerInfo.Title, ir.ServerInfo.Name)
				}
			}
		}
	case lastErr != nil:
		si.Status, si.Error = "error", lastErr.Error()
	default:
		si.Status = "not connected"
	}
	return si
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// Tools returns a server's allowed tools, redacted (see Redacted).
func (m *Manager) Tools(ctx context.Context, server string) ([]*mcp.Tool, error) {
	u, err := m.lookup(server)
	if err != nil {
		return nil, m.secrets.Load().Error(err)
	}
	tools, err := u.listTools(ctx)
	s := m.secrets.Load()
	if err != nil {
		return nil, s.Error(err)
	}
	tools, err = scrubAs(s, tools)
	return tools, s.Error(err)
}

// Handle answers a call from sandboxed code (mcpFactory): listServers,
// search, load, listTools, callTool, listResources, readResource, listPrompts or
// getPrompt. Every call is checked here, against the configuration, the
// tool policy and the approval rules, whatever the code claims; Handle
// has no one to ask, so a call that needs approval is denied (Handler
// makes a handler that can ask). Each request to an upstream is bounded by
// Options.CallTimeout. The result is a generic JSON value and the error's
// message one line for people; both are redacted (see Redacted), so they
// can be logged as they are.
func (m *Manager) Handle(ctx context.Context, method string, params json.RawMessage) (any, error) {
	return m.handleIn(ctx, &execution{allowed: map[[2]string]bool{}}, method, params)
}

func (m *Manager) handleIn(ctx context.Context, x *execution, method string, params json.RawMessage) (any, error) {
	v, err := m.handle(ctx, x, method, params)
	s := m.secrets.Load()
	if err != nil {
		return nil, s.Error(err)
	}
	v, err = s.Value(v)
	return v, s.Error(err)
}

func (m *Manager) handle(ctx context.Context, x *execution, method string, params json.RawMessage) (any, error) {
	h, ok := methods[method]
	if !ok {
		return nil, fmt.Errorf("unknown mcpFactory method %q", method)
	}
	return h(ctx, m, x, params)
}

// A method answers one mcpFactory call: it decodes its own parameters (a
// struct per method), finds the server, and sends its requests, each
// bounded by Options.CallTimeout (upstream.request).
type method func(ctx context.Context, m *Manager, x *execution, params json.RawMessage) (any, error)

// The parameters of the calls mcpFactory makes.
type (
	serverParams struct {
		Server string `json:"server"`
	}
	toolParams struct {
		Server string          `json:"server"`
		Tool   string          `json:"tool"`
		Args   json.RawMessage `json:"args"`
	}
	resourceParams struct {
		Server string `json:"server"`
		URI    string `json:"uri"`
	}
	promptParams struct {
		Server string          `json:"server"`
		Name   string          `json:"name"`
		Args   json.RawMessage `json:"args"`
	}
)

// methods is the table of what sandboxed code can ask of the proxy.
var methods = map[string]method{
	"listServers": func(ctx context.Context, m *Manager, _ *execution, _ json.RawMessage) (any, error) {
		return m.Servers(ctx, false), nil
	},
	"search": func(ctx context.Context, m *Manager, _ *execution, raw json.RawMessage) (any, error) {
		var p struct {
			Query   string `json:"query"`
			Options struct {
				Server string `json:"server"`
				Detail string `json:"detail"`
				Limit  int    `json:"limit"`
			} `json:"options"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("mcpFactory.search(query, { server, detail, limit }): %v", err)
		}
		return m.Search(ctx, p.Query, SearchOptions{Server: p.Options.Server, Detail: Detail(p.Options.Detail), Limit: p.Options.Limit})
	},
	"load": onServer(func(ctx context.Context, u *upstream, _ serverParams) (any, error) {
		tools, err := u.listTools(ctx)
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(tools))
		for _, t := range tools {
			names = append(names, t.Name)
		}
		return map[string]any{"name": u.cfg.Name, "tools": names}, nil
	}),
	"listTools": onServer(func(ctx context.Context, u *upstream, _ serverParams) (any, error) {
		tools, err := u.listTools(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, 0, len(tools))
		for _, t := range tools {
			out = append(out, map[string]any{"name": t.Name, "description": t.Description, "inputSchema": t.InputSchema})
		}
		return out, nil
	}),
	"callTool": func(ctx context.Context, m *Manager, x *execution, raw json.RawMessage) (any, error) {
		var p toolParams
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &p); err != nil {
				return nil, fmt.Errorf("bad request: %v", err)
			}
		}
		u, err := m.lookup(p.Server)
		if err != nil {
			return nil, err
		}
		var args any
		if len(p.Args) > 0 && string(p.Args) != "null" {
			if err := json.Unmarshal(p.Args, &args); err != nil {
				return nil, err
			}
			if _, ok := args.(map[string]any); !ok {
				return nil, fmt.Errorf("%s.%s: arguments must be an object", p.Server, p.Tool)
			}
		}
		t, err := u.tool(ctx, p.Tool)
		if err != nil {
			return nil, err
		}
		if err := m.approve(ctx, x, u, t, args); err != nil {
			return nil, err
		}
		res, err := u.callTool(ctx, p.Tool, args)
		if err != nil {
			return nil, err
		}
		return toolValue(p.Server, p.Tool, res)
	},
	"listResources": onServer(func(ctx context.Context, u *upstream, _ serverParams) (any, error) {
		return u.listResources(ctx)
	}),
	"readResource": onServer(func(ctx context.Context, u *upstream, p resourceParams) (any, error) {
		return u.readResource(ctx, p.URI)
	}),
	"listPrompts": onServer(func(ctx context.Context, u *upstream, _ serverParams) (any, error) {
		return u.listPrompts(ctx)
	}),
	"getPrompt": onServer(func(ctx context.Context, u *upstream, p promptParams) (any, error) {
		var args map[string]string
		if len(p.Args) > 0 && string(p.Args) != "null" {
			if err := json.Unmarshal(p.Args, &args); err != nil {
				return nil, fmt.Errorf("prompt arguments must be an object of strings: %v", err)
			}
		}
		return u.getPrompt(ctx, p.Name, args)
	}),
}

// onServer makes a method of f: the call's parameters P are decoded, and the
// server they name looked up in the current configuration.
func onServer[P interface{ server() string }](f func(context.Context, *upstream, P) (any, error)) method {
	return func(ctx context.Context, m *Manager, _ *execution, raw json.RawMessage) (any, error) {
		var p P
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &p); err != nil {
				return nil, fmt.Errorf("bad request: %v", err)
			}
		}
		u, err := m.lookup(p.server())
		if err != nil {
			return nil, err
		}
		return f(ctx, u, p)
	}
}

func (p serverParams) server() string   { return p.Server }
func (p toolParams) server() string     { return p.Server }
func (p resourceParams) server() string { return p.Server }
func (p promptParams) server() string   { return p.Server }

// toolValue turns a tool result into what callTool resolves to: the
// structured content when present, else the text parsed as JSON, else the
// text; content of other kinds is returned as is. An upstream error is an
// error carrying the upstream's message.
func toolValue(server, tool string, res *mcp.CallToolResult) (any, error) {
	var texts []string
	allText := true
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			texts = append(texts, t.Text)
		} else {
			allText = false
		}
	}
	if res.IsError {
		msg := strings.Join(texts, "\n")
		if msg == "" {
			msg = "the tool reported an error"
		}
		return nil, errors.New(server + "." + tool + ": " + msg)
	}
	if res.StructuredContent != nil {
		return res.StructuredContent, nil
	}
	if allText {
		joined := strings.Join(texts, "\n")
		var v any
		if json.Unmarshal([]byte(joined), &v) == nil {
			return v, nil
		}
		return joined, nil
	}
	return res.Content, nil
}
