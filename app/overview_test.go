package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/core"
	"github.com/mcp-conductor/mcp-conductor/app/internal/testmirror"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func TestEngineAndEndpointBindings(t *testing.T) {
	f := withDeno(t)
	st, err := f.app.Engine()
	if err != nil || !st.Running || st.Error != "" || st.Confinement == "" {
		t.Fatalf("Engine() = %+v, %v", st, err)
	}
	token, err := f.app.EndpointToken()
	if b, _ := os.ReadFile(server.TokenPath(f.home)); err != nil || token == "" || strings.TrimSpace(string(b)) != token {
		t.Fatalf("EndpointToken() = %q, %v; file %q", token, err, b)
	}
	ep, err := f.app.Endpoint()
	if err != nil || !ep.Running {
		t.Fatalf("Endpoint() = %+v, %v", ep, err)
	}
	port := ep.Port

	tests := []struct {
		name    string
		on      bool
		port    int
		wantErr string
		running bool
		url     string
	}{
		{name: "off", on: false, running: false},
		{name: "on, same port", on: true, running: true, url: "http://127.0.0.1:" + strconv.Itoa(port) + "/mcp"},
		{name: "privileged port", on: true, port: 443, wantErr: "port 443"},
		{name: "not a port", on: true, port: 70000, wantErr: "port 70000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.app.SetEndpoint(tt.on, tt.port)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Running != tt.running || got.Enabled != tt.on || got.URL != tt.url {
				t.Errorf("SetEndpoint = %+v", got)
			}
			s, _ := config.ReadSettings(config.SettingsPath(f.home))
			if s.HTTP.Disabled == tt.on || s.HTTP.Port != port {
				t.Errorf("settings file http = %+v", s.HTTP)
			}
		})
	}
}

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
	if _, err := f.app.RunCode(RunRequest{Code: "1"}); err == nil || !strings.Contains(err.Error(), core.ErrNoEngine.Error()) {
		t.Errorf("RunCode without an engine: %v", err)
	}

	rt, err = f.app.InstallDeno(InstallDenoOptions{BaseURL: testmirror.Deno(t, deno)})
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
	last := events[len(events)-1].(InstallProgress)
	sawBytes := false
	for _, e := range events {
		if p := e.(InstallProgress); p.Phase == "download" && p.Done > 0 && p.Percent > 0 {
			sawBytes = true
		}
	}
	if last.Phase != "done" || !sawBytes {
		t.Errorf("progress events %+v: want downloaded bytes and done last", events)
	}
	if st, _ := f.app.Engine(); !st.Running {
		t.Errorf("Engine() after the install = %+v", st)
	}
	res, err := f.app.RunCode(RunRequest{Code: "1 + 1"})
	if err != nil || res.ReturnValue != float64(2) {
		t.Errorf("RunCode after the install = %+v, %v", res, err)
	}
	if _, err := f.app.InstallDeno(InstallDenoOptions{Source: "ftp"}); err == nil || !strings.Contains(err.Error(), "unknown source") {
		t.Errorf("unknown source: %v", err)
	}
}
