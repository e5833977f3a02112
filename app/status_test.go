package app

import (
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/internal/testmirror"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// TestStatusEventsFollowTheEngine: installing Deno starts the engine and
// the endpoint, and the window hears of it (EventStatus) once the endpoint
// serves, so the Overview's cards never keep "waiting for the engine".
func TestStatusEventsFollowTheEngine(t *testing.T) {
	deno := testenv.Deno(t)
	f := newFixture(t, "")
	var mu sync.Mutex
	var serving []bool
	saved := 0
	f.app.cfg.Events.Listen(EventSettings, func() { mu.Lock(); saved++; mu.Unlock() })
	f.app.cfg.Events.Listen(EventStatus, func() {
		ep, _ := f.app.Endpoint()
		mu.Lock()
		serving = append(serving, ep.Running)
		mu.Unlock()
	})
	if ep, _ := f.app.Endpoint(); ep.Running || !strings.Contains(ep.Detail, "waiting") {
		t.Fatalf("endpoint before the install: %+v", ep)
	}
	if _, err := f.app.InstallDeno(backend.InstallDenoOptions{BaseURL: testmirror.Deno(t, deno)}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(serving) == 0 || !serving[len(serving)-1] {
		t.Errorf("status events saw the endpoint serving: %v; want true last", serving)
	}
	n := len(serving)
	mu.Unlock()
	if _, err := f.app.SetEndpoint(false, 0); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(serving) <= n || serving[len(serving)-1] {
		t.Errorf("after turning the endpoint off, status events saw %v", serving)
	}
	if saved != 1 {
		t.Errorf("%d settings events after SetEndpoint", saved)
	}
}

// TestStartRunReportsByEvent: StartRun returns at once and the outcome
// arrives as an event; a code-less or id-less run is refused at once.
func TestStartRunReportsByEvent(t *testing.T) {
	f := withDeno(t)
	if err := f.app.StartRun(backend.RunRequest{Code: "1"}); err == nil {
		t.Error("a run without an id started")
	}
	if err := f.app.StartRun(backend.RunRequest{RunID: "x"}); err == nil {
		t.Error("a run without code started")
	}
	if err := f.app.StartRun(backend.RunRequest{Code: "6 * 7", RunID: "r2"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute) // a hang guard
	for time.Now().Before(deadline) {
		for _, e := range f.events.get(EventRun) {
			if d := e.(RunDone); d.RunID == "r2" {
				if d.Error != "" || d.Result == nil || d.Result.ReturnValue != float64(42) {
					t.Errorf("run outcome %+v", d)
				}
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no run event")
}

// TestStopRun: a Playground run stopped from the window ends at once as an
// error, and StopRun says when there is nothing to stop.
func TestStopRun(t *testing.T) {
	f := withDeno(t)
	done := make(chan error, 1)
	go func() {
		r, err := f.app.RunCode(backend.RunRequest{Code: "await new Promise(() => setInterval(() => {}, 1000))", TimeoutMs: 600_000, RunID: "r1"})
		if err == nil && (r.Status != "error" || !strings.Contains(r.Error.Message, "cancelled")) {
			t.Errorf("stopped run: %+v %+v", r, r.Error)
		}
		done <- err
	}()
	deadline := time.Now().Add(time.Minute)
	for !f.app.StopRun("r1") {
		if time.Now().After(deadline) {
			t.Fatal("the run never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // a hang guard, not a speed bound
		t.Fatal("the run did not stop")
	}
	if f.app.StopRun("r1") {
		t.Error("StopRun found a finished run")
	}
}

// TestActivityIsLiveForOtherProcesses: a run of a separate `--stdio`
// server (as Cursor starts it), writing the same audit log, reaches the
// window as an execution event while the app runs.
func TestActivityIsLiveForOtherProcesses(t *testing.T) {
	f := withDeno(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.app.watchActivity(ctx)
	time.Sleep(2 * activityPoll) // the watcher starts at the log's end

	cmd := exec.Command(testenv.Binary(t), "--stdio")
	cmd.Env = f.b.Environ()
	s, err := mcp.NewClient(&mcp.Implementation{Name: "stdio-client", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": `"from stdio"`}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute) // a hang guard
	for time.Now().Before(deadline) {
		for _, e := range f.events.get(EventExecution) {
			if ex := e.(backend.Execution); ex.Client == "stdio-client" && ex.Code == `"from stdio"` && ex.Status == "success" {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no execution event from the stdio process; events: %+v", f.events.get(EventExecution))
}
