// Package audit keeps the append-only log of executions and of the MCP tool
// calls they made: one JSON object per line in logs/audit.jsonl, arguments
// with secret-looking keys redacted.
package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// Record is one line of the log.
type Record struct {
	Time        time.Time `json:"ts"`
	Kind        string    `json:"kind"` // "execution", "tool_call", "approval", "skill_saved" or "skill_deleted"
	ExecutionID string    `json:"executionId"`
	Client      string    `json:"client,omitempty"` // MCP client name, executions only
	Status      string    `json:"status,omitempty"` // success / error
	ErrorType   string    `json:"errorType,omitempty"`
	Error       string    `json:"error,omitempty"`
	DurationMs  float64   `json:"durationMs"`
	Code        string    `json:"code,omitempty"` // executions: the code (capped)
	// Language is "python" for run_python_code; empty for run_deno_code.
	Language  string `json:"language,omitempty"`
	Stdout    string `json:"stdout,omitempty"`
	Stderr    string `json:"stderr,omitempty"`
	ToolCalls int    `json:"toolCalls,omitempty"`
	// CallsNotRecorded counts the calls of an execution beyond those logged
	// one by one (see sandbox.MaxAuditCalls).
	CallsNotRecorded int             `json:"callsNotRecorded,omitempty"`
	Method           string          `json:"method,omitempty"` // tool calls: the mcpFactory method
	Server           string          `json:"server,omitempty"` // tool calls
	Tool             string          `json:"tool,omitempty"`
	Args             json.RawMessage `json:"args,omitempty"`
	OK               *bool           `json:"ok,omitempty"` // tool calls: it succeeded; approvals: it was allowed
	// Approvals: the rule that asked or denied ("ask", "deny") and where it
	// comes from, the person's choice, how they were asked (elicitation,
	// rule, nobody) and who answered (the MCP client's name). Error says
	// why a call was denied.
	Rule     string `json:"rule,omitempty"`
	Why      string `json:"why,omitempty"`
	Decision string `json:"decision,omitempty"`
	Via      string `json:"via,omitempty"`
	Approver string `json:"approver,omitempty"`
	// Skills saved (or refused: OK false, Error why): the name and the
	// description; Code is the source, Decision "replaced" when a skill of
	// that name existed.
	Skill       string `json:"skill,omitempty"`
	Description string `json:"description,omitempty"`
}

// Caps keep one line readable and the file bounded.
const (
	MaxCode   = 64 << 10
	MaxOutput = 16 << 10
	MaxArgs   = 4 << 10
	// RotateAt is the size at which audit.jsonl is renamed to audit.jsonl.1.
	RotateAt = 32 << 20
)

// Log appends records to a file. It is safe for concurrent use.
type Log struct {
	mu   sync.Mutex
	path string
}

// Open returns the log at path (created 0600 on first write).
func Open(path string) *Log { return &Log{path: path} }

// Path is the log file.
func (l *Log) Path() string { return l.path }

// Append writes records, one line each, with a single write.
func (l *Log) Append(recs ...Record) error {
	var buf []byte
	for _, r := range recs {
		r.Code = capString(r.Code, MaxCode)
		r.Stdout = capString(r.Stdout, MaxOutput)
		r.Stderr = capString(r.Stderr, MaxOutput)
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf = append(append(buf, b...), '\n')
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	// Every --stdio process and the app append to this file: rotating it
	// (look at the size, rename) and appending happen under a lock between
	// processes, so two of them never rotate at once.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	unlock, err := fsx.Lock(ctx, l.path+".lock")
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer unlock()
	if st, err := os.Stat(l.path); err == nil && st.Size() > RotateAt {
		_ = os.Rename(l.path, l.path+".1")
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	if _, err := f.Write(buf); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// Recent returns up to n of the newest records, newest first.
func (l *Log) Recent(n int) ([]Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.Open(l.path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var all []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 4<<20)
	for sc.Scan() {
		var r Record
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			all = append(all, r)
		}
	}
	var out []Record
	for i := len(all) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, all[i])
	}
	return out, sc.Err()
}

var secretKey = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)password|passwd|secret|token|api[_-]?key|apikey|authorization|auth|credential|private[_-]?key|bearer|cookie|session`)
})

// Redact returns args as JSON with the values of secret-looking keys
// replaced by "[REDACTED]", capped at MaxArgs bytes.
func Redact(args any) json.RawMessage {
	b, err := json.Marshal(redact(args, 0))
	if err != nil {
		return json.RawMessage(`"[unserializable]"`)
	}
	if len(b) > MaxArgs {
		t, _ := json.Marshal(string(b[:MaxArgs]) + "…[TRUNCATED]")
		return t
	}
	return b
}

func redact(v any, depth int) any {
	if depth > 32 {
		return "[TOO DEEP]"
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if secretKey().MatchString(k) {
				out[k] = "[REDACTED]"
			} else {
				out[k] = redact(val, depth+1)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = redact(val, depth+1)
		}
		return out
	case json.RawMessage:
		var d any
		if json.Unmarshal(x, &d) != nil {
			return nil
		}
		return redact(d, depth)
	}
	return v
}

func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…[TRUNCATED]"
}
