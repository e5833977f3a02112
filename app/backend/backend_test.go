package backend

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/app/internal/testmirror"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// freePort returns a loopback port nobody listens on (now).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// newHome makes a conductor home whose settings put the endpoint on port.
func newHome(t *testing.T, port int) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	if err := config.WriteSettings(home, config.Settings{PoolSize: ptr(0), HTTP: config.HTTPSettings{Port: port}}); err != nil {
		t.Fatal(err)
	}
	return home
}

func ptr[T any](v T) *T { return &v }

// start starts a Backend on home with deno ("" = none to be found), with
// extra environment variables (KEY=value). The user's home, where the AI
// clients' files are, is home's parent.
func start(t *testing.T, home, deno string, env ...string) *Backend {
	t.Helper()
	user := filepath.Dir(home)
	environ := append([]string{"HOME=" + user, "PATH=", config.EnvHome + "=" + home}, env...)
	if deno != "" {
		environ = append(environ, config.EnvDeno+"="+deno)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := Start(ctx, Options{Version: "test", Environ: environ, Logger: testenv.CaptureLogs(t).Logger(),
		ClientEnv: clients.Env{GOOS: "linux", Home: user}})
	t.Cleanup(b.Close)
	return b
}

// fixture is a Backend on the real engine, in a home folder of its own.
type fixture struct {
	b    *Backend
	home string // the conductor's home
	user string // the user's home (client files)
}

// newFixture starts a Backend with deno ("" = none to be found) and extra
// environment variables (KEY=value).
func newFixture(t *testing.T, deno string, env ...string) fixture {
	t.Helper()
	home := newHome(t, freePort(t))
	return fixture{b: start(t, home, deno, env...), home: home, user: filepath.Dir(home)}
}

// withDeno is a fixture on the real Deno.
func withDeno(t *testing.T, env ...string) fixture {
	t.Helper()
	return newFixture(t, testenv.Deno(t), env...)
}

// run runs req to its end, as the Playground's RunCode does.
func (f fixture) run(req RunRequest) (*RunResult, error) {
	r, err := f.b.StartRun(context.Background(), req)
	if err != nil {
		return nil, err
	}
	return r.Wait()
}

// callEndpoint runs code through the endpoint as an MCP client would.
func callEndpoint(t *testing.T, url, token string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	hc := &http.Client{Transport: bearer{token}}
	s, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: hc}, nil)
	if err != nil {
		return "", err
	}
	defer s.Close()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": "6 * 7"}})
	if err != nil {
		return "", err
	}
	return res.Content[0].(*mcp.TextContent).Text, nil
}

type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func TestEngineAndEndpoint(t *testing.T) {
	deno := testenv.Deno(t)
	port := freePort(t)
	c := start(t, newHome(t, port), deno)
	ctx := context.Background()

	if _, err := c.engine(); err != nil {
		t.Fatal(err)
	}
	rt := c.RuntimeStatus(ctx)
	if !rt.Found || rt.Path != deno || rt.Version == "" || rt.Pinned != config.EnvDeno {
		t.Errorf("RuntimeStatus = %+v", rt)
	}
	ep := c.EndpointStatus(ctx)
	wantURL := "http://127.0.0.1:" + strconv.Itoa(port) + "/mcp"
	if !ep.Running || ep.URL != wantURL || !ep.Enabled || ep.Port != port {
		t.Fatalf("EndpointStatus = %+v, want running at %s", ep, wantURL)
	}
	token, err := c.Token()
	if err != nil || len(token) < 32 {
		t.Fatalf("Token = %q, %v", token, err)
	}
	if out, err := callEndpoint(t, ep.URL, token); err != nil || !strings.Contains(out, `"returnValue":42`) {
		t.Fatalf("run through the endpoint: %s, %v", out, err)
	}
	if _, err := callEndpoint(t, ep.URL, "wrong"); err == nil {
		t.Error("the endpoint answered a wrong token")
	}

	// The settings move it, then turn it off; each time it follows.
	p, _ := c.policy()
	s := p.Settings
	moved := freePort(t)
	tests := []struct {
		name    string
		http    config.HTTPSettings
		running bool
		port    int
	}{
		{"another port", config.HTTPSettings{Port: moved}, true, moved},
		{"off", config.HTTPSettings{Port: moved, Disabled: true}, false, moved},
		{"on again", config.HTTPSettings{Port: moved}, true, moved},
	}
	for _, tt := range tests {
		s.HTTP = tt.http
		if err := c.saveSettings(ctx, s); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		ep := c.EndpointStatus(ctx)
		if ep.Running != tt.running || ep.Port != tt.port || ep.Enabled != !tt.http.Disabled {
			t.Errorf("%s: EndpointStatus = %+v", tt.name, ep)
		}
		_, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(moved), time.Second)
		if (err == nil) != tt.running {
			t.Errorf("%s: dialing the port: %v", tt.name, err)
		}
	}
	if _, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
		t.Error("the old port still answers")
	}
}

func TestSaveSettingsRefusesInvalidAndKeepsFile(t *testing.T) {
	home := newHome(t, freePort(t))
	c := start(t, home, testenv.Deno(t))
	before, _ := os.ReadFile(config.SettingsPath(home))
	tests := []struct {
		name    string
		s       config.Settings
		wantErr string
	}{
		{"package without a version", config.Settings{AllowedPackages: []string{"npm:left-pad"}}, "allowedPackages"},
		{"default timeout above the maximum", config.Settings{DefaultTimeoutMs: 9000, MaxTimeoutMs: 1000}, "above"},
		{"unknown grant path is fine but allow-all is not", config.Settings{Permissions: config.Permissions{Read: config.Grant{All: true}, Write: config.Grant{All: true}, Net: config.Grant{All: true}, Env: config.Grant{All: true}, Run: config.Grant{All: true}, FFI: config.Grant{All: true}, Sys: config.Grant{All: true}}}, ""},
	}
	for _, tt := range tests {
		err := c.saveSettings(context.Background(), tt.s)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
		if after, _ := os.ReadFile(config.SettingsPath(home)); string(after) != string(before) {
			t.Errorf("%s: a refused save changed the file", tt.name)
		}
	}
}

func TestPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	c := start(t, newHome(t, port), testenv.Deno(t))
	ep := c.EndpointStatus(context.Background())
	if ep.Running || !strings.Contains(ep.Detail, "port "+strconv.Itoa(port)+" is in use") {
		t.Errorf("EndpointStatus = %+v", ep)
	}
}

// TestWithoutDenoThenInstall starts with no Deno to be found, then installs
// the real one from a local mirror laid out like dl.deno.land, and the
// engine and the endpoint come up.
func TestWithoutDenoThenInstall(t *testing.T) {
	denoBin := testenv.Deno(t)
	home := newHome(t, freePort(t))
	c := start(t, home, "")
	ctx := context.Background()

	_, err := c.engine()
	var nf *deno.NotFoundError
	if !errors.Is(err, ErrNoEngine) || !errors.As(err, &nf) {
		t.Fatalf("Engine() err = %v, want ErrNoEngine wrapping deno.NotFoundError", err)
	}
	rt := c.RuntimeStatus(ctx)
	if rt.Found || !strings.Contains(rt.Detail, "not installed") {
		t.Errorf("RuntimeStatus = %+v", rt)
	}
	ep := c.EndpointStatus(ctx)
	if ep.Running || ep.Detail == "" {
		t.Errorf("EndpointStatus = %+v", ep)
	}
	if err := c.saveSettings(ctx, config.Settings{HTTP: config.HTTPSettings{Port: ep.Port}}); !errors.Is(err, ErrNoEngine) || !strings.Contains(err.Error(), "settings saved") {
		t.Errorf("SaveSettings without an engine: %v", err)
	}

	mirror := testmirror.Deno(t, denoBin)
	var phases []string
	got, err := c.install(ctx, deno.InstallOptions{BaseURL: mirror, Progress: func(p deno.Progress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(phases) < 2 || !slices.Contains(phases, "download") || phases[len(phases)-1] != "done" {
		t.Errorf("progress phases %v, want a download and done last", phases)
	}
	if _, err := c.engine(); err != nil {
		t.Fatalf("no engine after the install: %v", err)
	}
	rt = c.RuntimeStatus(ctx)
	if !rt.Found || rt.Path != got.Path || !strings.HasPrefix(rt.Path, home) || rt.Pinned != "" {
		t.Errorf("RuntimeStatus = %+v, installed %+v", rt, got)
	}
	if ep := c.EndpointStatus(ctx); !ep.Running {
		t.Errorf("EndpointStatus after the install = %+v", ep)
	}
}
