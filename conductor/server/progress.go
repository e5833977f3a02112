package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Progress of a running execution, for a client that sent a progress
// token: the code's stdout lines, at most one report per progressEvery
// (each report carries the lines since the last one), and each proxied
// call as it starts and ends.
const (
	// progressEvery is the least time between two reports of output.
	progressEvery = 250 * time.Millisecond
	// maxProgress bounds the notifications of one execution; beyond it
	// only the last report is sent.
	maxProgress = 1000
	// maxReportBytes bounds the output one log notification carries; the
	// lines beyond it are counted, not sent.
	maxReportBytes = 8 << 10
)

// progressSink is where reports go: the request that carries the token.
type progressSink struct {
	ctx     context.Context
	session *mcp.ServerSession
	token   any
}

// sink is the progress sink of req, or nil when it sent no token.
func sinkOf(ctx context.Context, req *mcp.CallToolRequest) *progressSink {
	if req == nil || req.Session == nil || req.Params == nil {
		return nil
	}
	t := req.Params.GetProgressToken()
	if t == nil {
		return nil
	}
	return &progressSink{ctx: ctx, session: req.Session, token: t}
}

// progressClock is the reporter's time; tests give it a fake one.
type progressClock struct {
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

var realClock = progressClock{now: time.Now, after: time.After}

// reporter turns an execution's output and calls into progress and log
// notifications. Its producers never block: lines are gathered under a
// lock, and one goroutine sends.
type reporter struct {
	clock progressClock
	send  func(s *progressSink, n int, msg, logText string)

	mu        sync.Mutex
	sink      *progressSink // nil: nowhere to report (between rounds)
	sent      int           // notifications sent; the progress value
	promised  int           // notifications queued or sent, at most maxProgress-1 before the last
	lines     int           // lines seen
	pending   []string      // lines not yet reported
	pendBytes int
	skipped   int // lines not carried (over maxReportBytes)
	last      string
	events    []string // call starts and ends not yet sent

	wake    chan struct{} // buffered: something to send
	stop    chan struct{}
	stopped chan struct{}
}

// newReporter starts a reporter to sink.
func newReporter(sink *progressSink, clock progressClock) *reporter {
	return startReporter(sink, clock, sendNotifications)
}

func startReporter(sink *progressSink, clock progressClock, send func(*progressSink, int, string, string)) *reporter {
	r := &reporter{clock: clock, send: send, sink: sink, wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
	go r.run()
	return r
}

// setSink moves the reports to another request (a round's retry), or
// nowhere (nil): until the next sink, reports wait (within the caps).
func (r *reporter) setSink(s *progressSink) {
	r.mu.Lock()
	r.sink = s
	r.mu.Unlock()
	r.poke()
}

// line is a stdout line of the code (sandbox.Job.OnStdout).
func (r *reporter) line(s string) {
	r.mu.Lock()
	r.lines++
	r.last = s
	if r.pendBytes+len(s) <= maxReportBytes {
		r.pending = append(r.pending, s)
		r.pendBytes += len(s) + 1
	} else {
		r.skipped++
	}
	r.mu.Unlock()
	r.poke()
}

// event is a call starting or ending.
func (r *reporter) event(msg string) {
	r.mu.Lock()
	if r.promised < maxProgress-1 { // one left for the last report
		r.promised++
		r.events = append(r.events, msg)
	}
	r.mu.Unlock()
	r.poke()
}

func (r *reporter) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// close sends what is left and stops the reporter.
func (r *reporter) close() {
	close(r.stop)
	<-r.stopped
}

// run sends: call events at once, output at most once per progressEvery.
func (r *reporter) run() {
	defer close(r.stopped)
	var lastOutput time.Time
	for {
		select {
		case <-r.wake:
		case <-r.stop:
			r.flushEvents()
			r.flushOutput(true)
			return
		}
		r.flushEvents()
		if wait := lastOutput.Add(progressEvery).Sub(r.clock.now()); wait > 0 && r.hasOutput() {
			select {
			case <-r.clock.after(wait):
			case <-r.stop:
				r.flushEvents()
				r.flushOutput(true)
				return
			}
			r.flushEvents()
		}
		if r.flushOutput(false) {
			lastOutput = r.clock.now()
		}
	}
}

func (r *reporter) hasOutput() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending) > 0 || r.skipped > 0
}

func (r *reporter) flushEvents() {
	r.mu.Lock()
	if r.sink == nil { // between rounds: they wait for the next call
		r.mu.Unlock()
		return
	}
	events := r.events
	r.events = nil
	r.mu.Unlock()
	for _, e := range events {
		r.notify(e, "")
	}
}

// flushOutput reports the lines gathered since the last report; last
// forces a report of the final count (the execution ended). It reports
// whether it sent anything.
func (r *reporter) flushOutput(last bool) bool {
	r.mu.Lock()
	if r.sink == nil { // between rounds: the lines wait for the next call
		r.mu.Unlock()
		return false
	}
	pending, skipped, lines, lastLine := r.pending, r.skipped, r.lines, r.last
	r.pending, r.pendBytes, r.skipped = nil, 0, 0
	budget := r.promised < maxProgress-1 || last
	if budget && (len(pending) > 0 || skipped > 0) {
		r.promised++
	}
	r.mu.Unlock()
	if len(pending) == 0 && skipped == 0 {
		return false
	}
	if !budget {
		// Over the cap: keep the lines' count for the last report.
		r.mu.Lock()
		r.skipped += len(pending) + skipped
		r.mu.Unlock()
		return false
	}
	text := strings.Join(pending, "\n")
	if skipped > 0 {
		text += fmt.Sprintf("\n… %d more lines not shown", skipped)
	}
	r.notify(fmt.Sprintf("stdout line %d: %s", lines, lastLine), text)
	return true
}

// notify sends one progress notification, and one log notification with
// logText if it is not empty (the client's log level permitting).
func (r *reporter) notify(msg, logText string) {
	r.mu.Lock()
	s := r.sink
	if s == nil {
		r.mu.Unlock()
		return
	}
	r.sent++
	n := r.sent
	r.mu.Unlock()
	r.send(s, n, msg, logText)
}

// sendNotifications is the reporter's send: a progress notification
// numbered n, and a log notification of logText if it is not empty (the
// client's log level permitting). A client that went away is no error of
// the execution's.
func sendNotifications(s *progressSink, n int, msg, logText string) {
	_ = s.session.NotifyProgress(s.ctx, &mcp.ProgressNotificationParams{ProgressToken: s.token, Progress: float64(n), Message: msg})
	if logText != "" {
		// Logging is deprecated from protocol 2026-07-28 (SEP-2577) but still
		// served, and older clients show it; it is sent only at the level the
		// client asked for.
		//lint:ignore SA1019 log notifications of the code's output are part of progress reporting (see above)
		_ = s.session.Log(s.ctx, &mcp.LoggingMessageParams{Level: "info", Logger: "run_deno_code stdout", Data: logText})
	}
}

// calls wraps h so that each call is reported as it starts and ends.
func (r *reporter) calls(h func(context.Context, string, json.RawMessage) (any, error)) func(context.Context, string, json.RawMessage) (any, error) {
	return func(ctx context.Context, method string, params json.RawMessage) (any, error) {
		var p struct{ Server, Tool string }
		_ = json.Unmarshal(params, &p)
		what := method
		if p.Server != "" {
			what = fmt.Sprintf("%s %s", method, p.Server)
			if p.Tool != "" {
				what = fmt.Sprintf("%s.%s", p.Server, capForReport(p.Tool))
			}
		}
		what = capForReport(what)
		r.event("calling " + what)
		start := r.clock.now()
		v, err := h(ctx, method, params)
		took := r.clock.now().Sub(start).Round(time.Millisecond)
		if err != nil {
			r.event(fmt.Sprintf("%s failed after %v: %s", what, took, capForReport(err.Error())))
		} else {
			r.event(fmt.Sprintf("%s done in %v", what, took))
		}
		return v, err
	}
}

// capForReport keeps a text of the code's (a tool name, an error) short.
func capForReport(s string) string {
	if len(s) <= 200 {
		return s
	}
	return strings.ToValidUTF8(s[:200], "") + "…"
}
