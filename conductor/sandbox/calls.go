package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"
)

// CallHandler answers calls that running code makes to the host (the MCP
// proxy). It is called concurrently; ctx ends with the execution.
type CallHandler func(ctx context.Context, method string, params json.RawMessage) (any, error)

// Bounds the host keeps whatever the code sends. The bootstrap itself never
// has more than MaxInFlightCalls calls on their way (it queues the rest in
// the code's own memory), so reaching a bound means the code forged frames.
const (
	// MaxInFlightCalls is how many mcpFactory calls of one execution the
	// host handles at once.
	MaxInFlightCalls = 16
	// MaxCallLogs is how many calls an execution's result lists; further
	// calls are counted in ToolCallsOmitted.
	MaxCallLogs = 100
	// MaxAuditCalls is how many calls of one execution the audit log
	// records one by one; it counts the rest.
	MaxAuditCalls = 1000
	// maxCallField bounds the text fields of a call record (tool, error).
	maxCallField = 1 << 10
	// maxReplyBytes bounds one answer to the code (an upstream tool's
	// result, say); a larger one is refused with an error in the code.
	maxReplyBytes = 8 << 20
)

// methods are the calls the bootstrap makes; anything else is refused
// without reaching the handler.
var methods = map[string]bool{"listServers": true, "search": true, "load": true, "listTools": true, "callTool": true,
	"listResources": true, "readResource": true, "listPrompts": true, "getPrompt": true}

// callTracker answers the code's calls and records them.
type callTracker struct {
	handler CallHandler
	wg      sync.WaitGroup

	mu       sync.Mutex
	inFlight int
	log      []CallLog
	omitted  int
}

func newCallTracker(h CallHandler) *callTracker { return &callTracker{handler: h} }

// callParams are the fields of a call the record keeps, whatever the method.
type callParams struct {
	Server string          `json:"server"`
	Tool   string          `json:"tool"` // callTool
	Name   string          `json:"name"` // getPrompt
	URI    string          `json:"uri"`  // readResource
	Args   json.RawMessage `json:"args"`
}

// errTooManyCalls ends an execution whose code sent more calls at once than
// the bootstrap ever does.
var errTooManyCalls = fmt.Errorf("the code sent more than %d mcpFactory calls at once (the sandbox's own mcpFactory queues them; frames were forged)", MaxInFlightCalls)

// dispatch answers one call frame in the background. It refuses, with
// errTooManyCalls, a call beyond MaxInFlightCalls: the caller ends the
// execution.
func (c *callTracker) dispatch(ctx context.Context, p *process, f frame) error {
	c.mu.Lock()
	if c.inFlight >= MaxInFlightCalls {
		c.mu.Unlock()
		return errTooManyCalls
	}
	c.inFlight++
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		start := time.Now()
		var cp callParams
		_ = json.Unmarshal(f.Params, &cp)
		var result any
		var err error
		switch {
		case !methods[f.Method]:
			err = hostError("unknown mcpFactory method " + quoteCapped(f.Method))
		case c.handler == nil:
			err = errNoHandler
		default:
			result, err = c.handler(ctx, f.Method, f.Params)
		}
		r := reply{ID: f.ID}
		if err == nil {
			if b, merr := json.Marshal(result); merr != nil {
				err = fmt.Errorf("the answer cannot be sent to the code: %v", merr)
			} else if len(b) > maxReplyBytes {
				err = fmt.Errorf("the answer is %d bytes, over the %d-byte limit for one call", len(b), maxReplyBytes)
			} else {
				r.Result = json.RawMessage(b)
			}
		}
		if err != nil {
			if r.Error = capText(err.Error(), maxCallField); r.Error == "" {
				r.Error = "the call failed"
			}
		}
		c.record(f.Method, cp, start, err)
		// The call stops counting before its reply leaves: the bootstrap
		// sends its next call only after reading a reply.
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
		_ = p.send(r)
	}()
	return nil
}

// record keeps one call for the result and the audit log, its fields capped.
func (c *callTracker) record(method string, cp callParams, start time.Time, err error) {
	target := cp.Tool
	switch method {
	case "getPrompt":
		target = cp.Name
	case "readResource":
		target = cp.URI
	}
	entry := CallLog{
		Method: method, Server: capText(cp.Server, maxCallField), Tool: capText(target, maxCallField),
		DurationMs: msSince(start), OK: err == nil, Args: cp.Args,
	}
	if err != nil {
		entry.Error = capText(err.Error(), maxCallField)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.log) >= MaxAuditCalls {
		c.omitted++
		return
	}
	c.log = append(c.log, entry)
}

// finish waits for calls still being answered (their context has ended) and
// returns the records: at most MaxAuditCalls, and how many more there were.
func (c *callTracker) finish() ([]CallLog, int) {
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]CallLog(nil), c.log...), c.omitted
}

// capText cuts s to at most n bytes, at a rune boundary, marking the cut.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… [%d more bytes]", len(s)-cut)
}

func quoteCapped(s string) string { return fmt.Sprintf("%q", capText(s, 64)) }

type hostError string

func (e hostError) Error() string { return string(e) }

const errNoHandler = hostError("no MCP servers are available to this execution")
