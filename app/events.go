package app

import (
	"sync"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// The events the backend sends the window (runtime.EventsOn in the
// frontend).
const (
	// EventExecution carries an Execution after any client's code ran.
	EventExecution = "execution"
	// EventDenoProgress carries an InstallProgress while Deno installs.
	EventDenoProgress = "deno:progress"
	// EventPythonProgress carries an InstallProgress while Pyodide installs.
	EventPythonProgress = "python:progress"
	// EventNavigate carries a page id the window should show.
	EventNavigate = "navigate"
	// EventAutostart carries the start-on-login state after the tray changed it.
	EventAutostart = "autostart"
	// EventClients carries a client id after its configuration was written,
	// from the window or the tray.
	EventClients = "clients"
	// EventStatus says that the engine, its policy, the endpoint or Deno may
	// have changed: the Overview's cards and the tray read them again.
	EventStatus = "status"
	// EventRun carries a RunDone when a run started with StartRun ends.
	EventRun = "run"
	// EventSettings says that the settings file was saved.
	EventSettings = "settings"
	// EventApprovals says that approval questions started or stopped
	// waiting: the window reads Approvals again.
	EventApprovals = "approvals"
)

// Events forwards events to the window once it exists; until then, and
// without a window, they are dropped. Listeners inside the process (the
// tray) get them too. It is safe for concurrent use.
type Events struct {
	mu        sync.Mutex
	emit      func(name string, data ...any)
	listeners map[string][]func()
}

// Emit sends an event to the window and the listeners of name.
func (e *Events) Emit(name string, data ...any) {
	if e == nil {
		return
	}
	e.mu.Lock()
	f, ls := e.emit, e.listeners[name]
	e.mu.Unlock()
	if f != nil {
		f(name, data...)
	}
	for _, l := range ls {
		l()
	}
}

// Listen makes every later Emit of name call fn (which must not block).
func (e *Events) Listen(name string, fn func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.listeners == nil {
		e.listeners = map[string][]func(){}
	}
	e.listeners[name] = append(e.listeners[name], fn)
}

// BackendOptions returns opts with the hooks that keep the window up to
// date with the engine: every status change becomes EventStatus, and the
// approval questions EventApprovals (which makes the app ask: see
// backend.Options.OnApprovals).
func (e *Events) BackendOptions(opts backend.Options) backend.Options {
	opts.OnChange = func() { e.Emit(EventStatus) }
	opts.OnApprovals = func() { e.Emit(EventApprovals) }
	return opts
}

// Attach makes Emit call f (the window's event function).
func (e *Events) Attach(f func(name string, data ...any)) {
	e.mu.Lock()
	e.emit = f
	e.mu.Unlock()
}
