package proxy

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

// Probe is what a test connection to one server found.
type Probe struct {
	// ServerName and ServerVersion are what the server says it is.
	ServerName    string `json:"serverName"`
	ServerVersion string `json:"serverVersion"`
	// Instructions are the server's instructions to its clients, if any.
	Instructions string `json:"instructions,omitempty"`
	// Tools are all the server's tools; Allowed applies the entry's
	// allowTools and denyTools.
	Tools []ProbeTool `json:"tools"`
	// DurationMs is how long connecting and listing took.
	DurationMs float64 `json:"durationMs"`
}

// ProbeTool is one tool found by ProbeServer.
type ProbeTool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Allowed     bool   `json:"allowed"`
}

// ProbeServer connects to sc as configured (it need not be saved in any
// file), lists its tools and disconnects. ${env:NAME} placeholders in its
// env and headers are expanded with opts.Getenv. A disabled entry is
// probed all the same: the user asked for it.
//
// What it returns, errors included, is redacted as Manager's results are.
func ProbeServer(ctx context.Context, sc mcpconfig.Server, opts Options) (*Probe, error) {
	p, secrets, err := probe(ctx, sc, withDefaults(opts))
	if err != nil {
		return nil, secrets.Error(err)
	}
	p, err = scrubAs(secrets, p)
	return p, secrets.Error(err)
}

func probe(ctx context.Context, sc mcpconfig.Server, opts Options) (*Probe, *secretSet, error) {
	secrets := (*secretSet)(nil).with(envURLSecrets(opts.BaseEnv)...)
	if err := mcpconfig.Validate(sc); err != nil {
		return nil, secrets, err
	}
	var expanded []string
	getenv := func(name string) string {
		v := opts.Getenv(name)
		expanded = append(expanded, v)
		return v
	}
	sc.Disabled = false
	sc.Env = mcpconfig.Expand(sc.Env, getenv, &sc.Err, sc.Name)
	sc.Headers = mcpconfig.Expand(sc.Headers, getenv, &sc.Err, sc.Name)
	secrets = secrets.with(append(expanded, configSecrets(sc)...)...)
	if sc.Err != nil {
		return nil, secrets, sc.Err
	}
	all := sc
	all.AllowTools, all.DenyTools = nil, nil // list every tool; the policy is applied below
	m := &Manager{opts: opts, servers: map[string]*upstream{}}
	m.secrets.Store(secrets)
	u := newUpstream(all, m)
	defer u.close()
	start := time.Now()
	s, err := u.connect(ctx)
	if err != nil {
		return nil, secrets, err
	}
	tools, err := u.listTools(ctx)
	if err != nil {
		return nil, secrets, err
	}
	p := &Probe{Tools: []ProbeTool{}, DurationMs: float64(time.Since(start).Microseconds()) / 1000}
	if ir := s.InitializeResult(); ir != nil {
		p.Instructions = ir.Instructions
		if ir.ServerInfo != nil {
			p.ServerName, p.ServerVersion = firstNonEmpty(ir.ServerInfo.Title, ir.ServerInfo.Name), ir.ServerInfo.Version
		}
	}
	for _, t := range tools {
		p.Tools = append(p.Tools, ProbeTool{Name: t.Name, Description: t.Description, Allowed: sc.ToolAllowed(t.Name)})
	}
	return p, secrets, nil
}

// withDefaults fills the Options NewManager would.
func withDefaults(opts Options) Options {
	if opts.ConnectTimeout == 0 {
		opts.ConnectTimeout = 30 * time.Second
	}
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 60 * time.Second
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.BaseEnv == nil {
		opts.BaseEnv = defaultBaseEnv()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ApprovalTimeout == 0 {
		opts.ApprovalTimeout = DefaultApprovalTimeout
	}
	return opts
}
