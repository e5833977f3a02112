package app

import (
	"context"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// recorder keeps the events the App sends.
type recorder struct {
	mu     sync.Mutex
	events map[string][]any
}

func (r *recorder) emit(name string, data ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.events == nil {
		r.events = map[string][]any{}
	}
	r.events[name] = append(r.events[name], data...)
}

func (r *recorder) get(name string) []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.events[name]...)
}

// fixture is an App on the real engine, in a home folder of its own.
type fixture struct {
	app    *App
	b      *backend.Backend
	home   string // the conductor's home
	user   string // the user's home (client files)
	events *recorder
}

// newFixture starts the engine with the real Deno (or none, when deno is
// ""), with extra environment variables (KEY=value).
func newFixture(t *testing.T, deno string, env ...string) *fixture {
	t.Helper()
	user := t.TempDir()
	home := filepath.Join(user, ".mcp-conductor")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	zero := 0
	if err := config.WriteSettings(home, config.Settings{PoolSize: &zero, HTTP: config.HTTPSettings{Port: port}}); err != nil {
		t.Fatal(err)
	}
	environ := append([]string{"HOME=" + user, "PATH=", config.EnvHome + "=" + home}, env...)
	if deno != "" {
		environ = append(environ, config.EnvDeno+"="+deno)
	}
	f := &fixture{home: home, user: user, events: &recorder{}}
	events := &Events{}
	events.Attach(f.events.emit)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f.b = backend.Start(ctx, events.BackendOptions(backend.Options{Version: "test", Environ: environ, Logger: testenv.CaptureLogs(t).Logger(),
		ClientEnv: clients.Env{GOOS: "linux", Home: user}}))
	t.Cleanup(f.b.Close)
	f.app = New(Config{Version: "test", Events: events, Backend: f.b})
	return f
}

// withDeno is a fixture on the real Deno.
func withDeno(t *testing.T, env ...string) *fixture {
	t.Helper()
	return newFixture(t, testenv.Deno(t), env...)
}
