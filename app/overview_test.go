package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/internal/testmirror"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// TestInstallDenoBinding starts the app where no Deno can be found, then
// installs the real one from a local mirror: progress events reach the
// window, and the engine starts.
func TestInstallDenoBinding(t *testing.T) {
	deno := testenv.Deno(t)
	f := newFixture(t, "")
	st, err := f.app.Engine()
	if err != nil || st.Running || !strings.Contains(st.Error, "not found") {
		t.Fatalf("Engine() without Deno = %+v, %v", st, err)
	}
	rt, err := f.app.Runtime()
	if err != nil || rt.Found {
		t.Fatalf("Runtime() = %+v, %v", rt, err)
	}
	if _, err := f.app.RunCode(backend.RunRequest{Code: "1"}); err == nil || !strings.Contains(err.Error(), backend.ErrNoEngine.Error()) {
		t.Errorf("RunCode without an engine: %v", err)
	}

	rt, err = f.app.InstallDeno(backend.InstallDenoOptions{BaseURL: testmirror.Deno(t, deno)})
	if err != nil {
		t.Fatal(err)
	}
	if !rt.Found || !strings.HasPrefix(rt.Path, filepath.Join(f.home, "runtime")) || rt.Source != "installed by mcp-conductor" {
		t.Errorf("Runtime after the install = %+v", rt)
	}
	events := f.events.get(EventDenoProgress)
	if len(events) < 2 {
		t.Fatalf("%d progress events", len(events))
	}
	last := events[len(events)-1].(backend.InstallProgress)
	sawBytes := false
	for _, e := range events {
		if p := e.(backend.InstallProgress); p.Phase == "download" && p.Done > 0 && p.Percent > 0 {
			sawBytes = true
		}
	}
	if last.Phase != "done" || !sawBytes {
		t.Errorf("progress events %+v: want downloaded bytes and done last", events)
	}
	if st, _ := f.app.Engine(); !st.Running {
		t.Errorf("Engine() after the install = %+v", st)
	}
	res, err := f.app.RunCode(backend.RunRequest{Code: "1 + 1"})
	if err != nil || res.ReturnValue != float64(2) {
		t.Errorf("RunCode after the install = %+v, %v", res, err)
	}
	if _, err := f.app.InstallDeno(backend.InstallDenoOptions{Source: "ftp"}); err == nil || !strings.Contains(err.Error(), "unknown source") {
		t.Errorf("unknown source: %v", err)
	}
}
