package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the test fires a wait.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	waiting chan time.Duration
	fire    chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Unix(1e9, 0), waiting: make(chan time.Duration), fire: make(chan time.Time)}
}

func (c *fakeClock) clock() progressClock {
	return progressClock{
		now: func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t },
		after: func(d time.Duration) <-chan time.Time {
			c.waiting <- d
			return c.fire
		},
	}
}

// advance moves the clock by d and ends the reporter's wait.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	t := c.t
	c.mu.Unlock()
	c.fire <- t
}

type sentNote struct {
	n        int
	msg, log string
}

type noteRecorder struct {
	mu    sync.Mutex
	notes []sentNote
	each  chan sentNote
}

func (r *noteRecorder) send(_ *progressSink, n int, msg, log string) {
	r.mu.Lock()
	r.notes = append(r.notes, sentNote{n, msg, log})
	r.mu.Unlock()
	if r.each != nil {
		r.each <- sentNote{n, msg, log}
	}
}

func (r *noteRecorder) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.notes) }

// Output is reported at most once per progressEvery, however many lines
// come: the clock here moves only when the test says, so the counts are
// exact.
func TestProgressThrottlesOutput(t *testing.T) {
	c := newFakeClock()
	rec := &noteRecorder{each: make(chan sentNote, 16)}
	r := startReporter(&progressSink{}, c.clock(), rec.send)

	r.line("first")
	if n := <-rec.each; n.n != 1 || n.msg != "stdout line 1: first" || n.log != "first" {
		t.Fatalf("first report: %+v", n)
	}
	for i := range 1000 {
		r.line(fmt.Sprint(i % 10))
	}
	if d := <-c.waiting; d != progressEvery {
		t.Fatalf("waits %v, want %v", d, progressEvery)
	}
	if rec.count() != 1 {
		t.Fatalf("%d reports before the interval passed, want 1", rec.count())
	}
	// A call is reported at once, even inside the interval.
	r.event("calling up.tool")
	c.advance(progressEvery)
	got := []sentNote{<-rec.each, <-rec.each}
	if got[0].msg != "calling up.tool" {
		t.Errorf("event: %+v", got[0])
	}
	if got[1].n != 3 || got[1].msg != "stdout line 1001: 9" || strings.Count(got[1].log, "\n") != 999 {
		t.Errorf("1000 lines in one report: %+v", got[1])
	}
	// The lines left when the execution ends go in a last report.
	r.line("tail")
	<-c.waiting // the reporter waits for its turn; close does not wait for it
	r.close()
	if n := <-rec.each; n.n != 4 || n.log != "tail" {
		t.Errorf("last report: %+v", n)
	}
	if rec.count() != 4 {
		t.Errorf("%d reports, want 4", rec.count())
	}
}

// However much is reported, one execution sends at most maxProgress
// notifications, and the last report always goes.
func TestProgressIsCapped(t *testing.T) {
	rec := &noteRecorder{}
	r := startReporter(&progressSink{}, realClock, rec.send)
	for i := range 3 * maxProgress {
		r.event(fmt.Sprint("event ", i))
	}
	r.line("the end")
	r.close()
	if n := rec.count(); n > maxProgress || n < 2 {
		t.Fatalf("%d notifications, want at most %d", n, maxProgress)
	}
	if last := rec.notes[len(rec.notes)-1]; !strings.Contains(last.msg, "the end") {
		t.Errorf("last: %+v", last)
	}
	// Nothing is sent without a sink (between rounds).
	rec2 := &noteRecorder{}
	r = startReporter(nil, realClock, rec2.send)
	r.line("x")
	r.event("y")
	r.close()
	if rec2.count() != 0 {
		t.Errorf("sent without a sink: %+v", rec2.notes)
	}
}

func TestProgressCalls(t *testing.T) {
	rec := &noteRecorder{}
	r := startReporter(&progressSink{}, realClock, rec.send)
	h := r.calls(func(_ context.Context, method string, _ json.RawMessage) (any, error) {
		if method == "load" {
			return nil, errors.New("no such server")
		}
		return "ok", nil
	})
	if v, err := h(context.Background(), "callTool", json.RawMessage(`{"server":"fs","tool":"write_file"}`)); v != "ok" || err != nil {
		t.Fatalf("the result changed: %v %v", v, err)
	}
	if _, err := h(context.Background(), "load", json.RawMessage(`{"server":"gone"}`)); err == nil {
		t.Fatal("the error was lost")
	}
	r.close()
	var msgs []string
	for _, n := range rec.notes {
		msgs = append(msgs, n.msg)
	}
	want := []string{"calling fs.write_file", "fs.write_file done in", "calling load gone", "load gone failed after"}
	if len(msgs) != len(want) {
		t.Fatalf("messages %q", msgs)
	}
	for i, w := range want {
		if !strings.HasPrefix(msgs[i], w) {
			t.Errorf("message %d: %q, want %q…", i, msgs[i], w)
		}
	}
}
