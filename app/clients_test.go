package app

import (
	"testing"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// TestClientWritesTellTheWindow: every client change that writes a file
// sends EventClients with the client's id, so a Clients page open
// elsewhere, and the tray, read it again; a preview or a change that
// writes nothing sends none.
func TestClientWritesTellTheWindow(t *testing.T) {
	f := newFixture(t, "")
	steps := []struct {
		name string
		do   func() (backend.ClientChange, error)
		sent bool
	}{
		{"preview", func() (backend.ClientChange, error) {
			return f.app.RegisterClient("cursor", backend.ClientAction{Force: true})
		}, false},
		{"register", func() (backend.ClientChange, error) {
			return f.app.RegisterClient("cursor", backend.ClientAction{Apply: true, Force: true})
		}, true},
		{"register again", func() (backend.ClientChange, error) {
			return f.app.RegisterClient("cursor", backend.ClientAction{Apply: true})
		}, false},
		{"unregister", func() (backend.ClientChange, error) {
			return f.app.UnregisterClient("cursor", backend.ClientAction{Apply: true})
		}, true},
	}
	for _, s := range steps {
		before := len(f.events.get(EventClients))
		ch, err := s.do()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got := f.events.get(EventClients)
		if sent := len(got) > before; sent != s.sent || ch.Written != s.sent || sent && got[len(got)-1] != "cursor" {
			t.Errorf("%s: written %v, events %v; want sent = %v", s.name, ch.Written, got, s.sent)
		}
	}
}
