package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// TestProbeFindsABrokenLayer runs the probe of the kernel layer (on by
// default on macOS and Windows) against a layer that really stops Deno:
// Landlock with a "Deno" that is a script starting the real one, which
// Landlock does not let it run. With confinement auto the runner goes on
// without the layer, says so once, and runs code; with require it refuses
// to start and names the layer. A layer that works passes the probe and
// stays on.
func TestProbeFindsABrokenLayer(t *testing.T) {
	if ok, why := KernelConfinement().Available(); !ok {
		testenv.Missing(t, "Landlock: %s", why)
	}
	deno := testenv.Deno(t)
	wrapper := filepath.Join(t.TempDir(), "deno-wrapper")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nexec '"+deno+"' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := probeKernelLayer
	probeKernelLayer = true
	t.Cleanup(func() { probeKernelLayer = old })

	start := func(bin string, confinement config.Confinement) (*Runner, []string, error) {
		home, ws := t.TempDir(), t.TempDir()
		getenv := func(k string) string {
			switch k {
			case config.EnvHome:
				return home
			case config.EnvWorkspace:
				return ws
			case config.EnvRunArgs: // the probe lists the workspace when code may read it
				return "allow-read=" + ws
			case config.EnvConfinement:
				return string(confinement)
			}
			return ""
		}
		p, err := config.Load(getenv)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var warned []string
		r, err := New(context.Background(), p, Options{Deno: bin, Getenv: getenv, Warn: func(s string) {
			mu.Lock()
			warned = append(warned, s)
			mu.Unlock()
		}})
		if r != nil {
			t.Cleanup(r.Stop)
		}
		mu.Lock()
		defer mu.Unlock()
		return r, warned, err
	}
	run := func(r *Runner) *Result {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		res, err := r.Run(ctx, Job{Code: "1 + 1", Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	r, warned, err := start(wrapper, config.ConfineAuto)
	if err != nil {
		t.Fatalf("auto with a layer that stops Deno: %v", err)
	}
	if r.Env().Confined {
		t.Fatal("the runner kept a layer that stops Deno")
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "stops Deno from running on this machine") || !strings.Contains(warned[0], "Landlock") {
		t.Errorf("warnings %q: want one naming the layer that stops Deno", warned)
	}
	if res := run(r); res.Status != "success" || res.ReturnValue != float64(2) {
		t.Errorf("without the layer: %+v %+v", res, res.Error)
	}

	if _, _, err := start(wrapper, config.ConfineRequire); err == nil || !strings.Contains(err.Error(), "require") || !strings.Contains(err.Error(), "stops Deno") {
		t.Errorf("require with a layer that stops Deno: %v", err)
	}

	r, warned, err = start(deno, config.ConfineAuto)
	if err != nil || !r.Env().Confined || len(warned) != 0 {
		t.Fatalf("a working layer: confined %v, warnings %q, %v", r != nil && r.Env().Confined, warned, err)
	}
	if res := run(r); res.Status != "success" {
		t.Errorf("with the layer: %+v", res.Error)
	}
	// The probe lists the workspace, which this policy lets code read,
	// and still answers 2.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := r.Run(ctx, Job{Code: strings.Replace(probeCode, "Array.from(", "throw new Error('listed' + ", 1), Timeout: time.Minute})
	if err != nil || res.Error == nil || !strings.Contains(res.Error.Message, "listed") {
		t.Errorf("the probe does not list a workspace code may read: %+v %v", res, err)
	}
	if err := r.probe(ctx); err != nil {
		t.Errorf("the probe under a working layer: %v", err)
	}
}
