package tray

import (
	"errors"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// fakeHandler records the calls the tray makes: the real handler is the
// desktop window, which needs GTK.
type fakeHandler struct {
	calls        []string
	autostartErr error
	// clients answers the client actions by ID; a missing ID fails.
	clients map[string]backend.ClientStatus
}

func (f *fakeHandler) client(verb, id string) (backend.ClientStatus, error) {
	f.calls = append(f.calls, verb+" "+id)
	st, ok := f.clients[id]
	if !ok {
		return backend.ClientStatus{}, errors.New("file is read-only")
	}
	return st, nil
}

func (f *fakeHandler) RegisterClient(id string) (backend.ClientStatus, error) {
	return f.client("register", id)
}

func (f *fakeHandler) RepairClient(id string) (backend.ClientStatus, error) {
	return f.client("repair", id)
}

func (f *fakeHandler) UnregisterClient(id string) (backend.ClientStatus, error) {
	return f.client("unregister", id)
}

func (f *fakeHandler) OpenWindow()       { f.calls = append(f.calls, "open") }
func (f *fakeHandler) OpenClients()      { f.calls = append(f.calls, "clients") }
func (f *fakeHandler) CopyText(s string) { f.calls = append(f.calls, "copy "+s) }
func (f *fakeHandler) OpenWorkspace()    { f.calls = append(f.calls, "workspace") }
func (f *fakeHandler) OpenLogs()         { f.calls = append(f.calls, "logs") }
func (f *fakeHandler) Quit()             { f.calls = append(f.calls, "quit") }
func (f *fakeHandler) SetAutostart(on bool) (bool, error) {
	if f.autostartErr != nil {
		f.calls = append(f.calls, "autostart failed")
		return !on, f.autostartErr
	}
	if on {
		f.calls = append(f.calls, "autostart on")
	} else {
		f.calls = append(f.calls, "autostart off")
	}
	return on, nil
}

func TestHandleActions(t *testing.T) {
	ep := &backend.EndpointStatus{URL: "http://127.0.0.1:7465/mcp", Running: true}
	tests := []struct {
		name          string
		state         State
		autostartErr  error
		actions       []Action
		want          []string
		wantAutostart bool
	}{
		{"open", State{}, nil, []Action{ActOpen}, []string{"open"}, false},
		{"clients", State{}, nil, []Action{ActOpenClients}, []string{"clients"}, false},
		{"copy url", State{Endpoint: ep}, nil, []Action{ActCopyURL}, []string{"copy " + ep.URL}, false},
		{"copy without url does nothing", State{}, nil, []Action{ActCopyURL}, nil, false},
		{"folders", State{}, nil, []Action{ActOpenWorkspace, ActOpenLogs}, []string{"workspace", "logs"}, false},
		{"autostart toggles", State{AutostartSupported: true}, nil,
			[]Action{ActAutostart, ActAutostart, ActAutostart},
			[]string{"autostart on", "autostart off", "autostart on"}, true},
		{"autostart failure keeps the old value", State{AutostartSupported: true}, errors.New("read-only"),
			[]Action{ActAutostart}, []string{"autostart failed"}, false},
		{"quit", State{}, nil, []Action{ActQuit}, []string{"quit"}, false},
		{"unknown action is ignored", State{}, nil, []Action{"nope", ""}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &fakeHandler{autostartErr: tt.autostartErr}
			tr := New(h, tt.state)
			for _, a := range tt.actions {
				tr.handle(click{action: a})
			}
			if strings.Join(h.calls, "|") != strings.Join(tt.want, "|") {
				t.Errorf("calls %q, want %q", h.calls, tt.want)
			}
			if got := tr.State().Autostart; got != tt.wantAutostart {
				t.Errorf("Autostart = %v, want %v", got, tt.wantAutostart)
			}
		})
	}
}

func TestUpdateBeforeReadyDoesNotBuild(t *testing.T) {
	tr := New(&fakeHandler{}, State{})
	tr.SetState(State{Health: HealthReady})
	if tr.Items() != nil {
		t.Fatal("menu built before the tray was shown")
	}
	if tr.State().Health != HealthReady {
		t.Fatal("state not kept")
	}
}

func TestLabelEscapesMnemonics(t *testing.T) {
	got := label("my_client")
	if got != "my__client" && got != "my_client" {
		t.Fatalf("label = %q", got)
	}
}
