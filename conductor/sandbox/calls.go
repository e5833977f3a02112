package sandbox

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// callTracker dispatches the code's calls to the host and records them.
type callTracker struct {
	mu  sync.Mutex
	log []CallLog
}

func newCallTracker() *callTracker { return &callTracker{} }

// callParams is what mcpFactory sends for a tool call; only used for the log.
type callParams struct {
	Server string          `json:"server"`
	Tool   string          `json:"tool"`
	Args   json.RawMessage `json:"args"`
}

func (c *callTracker) dispatch(ctx context.Context, p *process, f frame, h CallHandler) {
	go func() {
		start := time.Now()
		var (
			result any
			err    error
		)
		if h == nil {
			err = errNoHandler
		} else {
			result, err = h(ctx, f.Method, f.Params)
		}
		if f.Method == "callTool" {
			var cp callParams
			_ = json.Unmarshal(f.Params, &cp)
			entry := CallLog{Server: cp.Server, Tool: cp.Tool, DurationMs: msSince(start), OK: err == nil, Args: cp.Args}
			if err != nil {
				entry.Error = err.Error()
			}
			c.mu.Lock()
			c.log = append(c.log, entry)
			c.mu.Unlock()
		}
		reply := map[string]any{"id": f.ID}
		if err != nil {
			reply["error"] = err.Error()
		} else {
			reply["result"] = result
		}
		_ = p.send(reply)
	}()
}

func (c *callTracker) logs() []CallLog {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]CallLog(nil), c.log...)
}

type hostError string

func (e hostError) Error() string { return string(e) }

const errNoHandler = hostError("no MCP servers are available to this execution")
