package testenv

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// Logs records what is logged through its Logger, for tests to read, and
// copies each record to the test's log.
type Logs struct {
	t     testing.TB
	mu    sync.Mutex
	lines []string
}

// Logger returns a logger whose records go to the test log and to l.
func (l *Logs) Logger() *slog.Logger { return slog.New(logsHandler{l: l}) }

// CaptureLogs returns a Logs for t.
func CaptureLogs(t testing.TB) *Logs { return &Logs{t: t} }

// Lines are the records so far, each as "message key=value …".
func (l *Logs) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

type logsHandler struct {
	l     *Logs
	attrs []slog.Attr
}

func (h logsHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h logsHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	add := func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true }
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	h.l.mu.Lock()
	h.l.lines = append(h.l.lines, b.String())
	h.l.mu.Unlock()
	if h.l.t != nil {
		h.l.t.Log(b.String())
	}
	return nil
}

func (h logsHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logsHandler{l: h.l, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h logsHandler) WithGroup(string) slog.Handler { return h }
