package backend

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// A local program without the token holds more connections open than the
// endpoint's cap (server.Serve) without sending a byte: the oldest are
// closed to make room, and a client with the token is still served.
func TestEndpointUnderFlood(t *testing.T) {
	port := freePort(t)
	c := start(t, newHome(t, port), testenv.Deno(t))
	if _, err := c.engine(); err != nil {
		t.Fatal(err)
	}
	ep := c.EndpointStatus(context.Background())
	token, err := c.Token()
	if !ep.Running || err != nil {
		t.Fatalf("EndpointStatus = %+v, token: %v", ep, err)
	}
	testenv.CheckConnCap(t, "127.0.0.1:"+strconv.Itoa(port))
	if out, err := callEndpoint(t, ep.URL, token); err != nil || !strings.Contains(out, `"returnValue":42`) {
		t.Fatalf("run through the endpoint while the cap is full: %s, %v", out, err)
	}
}

func TestEngineStatusAndSetEndpoint(t *testing.T) {
	f := withDeno(t)
	if st := f.b.EngineStatus(); !st.Running || st.Error != "" || st.Confinement == "" {
		t.Fatalf("EngineStatus() = %+v", st)
	}
	token, err := f.b.Token()
	if b, _ := os.ReadFile(server.TokenPath(f.home)); err != nil || token == "" || strings.TrimSpace(string(b)) != token {
		t.Fatalf("Token() = %q, %v; file %q", token, err, b)
	}
	ep := f.b.EndpointStatus(t.Context())
	if !ep.Running {
		t.Fatalf("EndpointStatus() = %+v", ep)
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
			got, err := f.b.SetEndpoint(t.Context(), tt.on, tt.port)
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
