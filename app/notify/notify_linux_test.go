package notify

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// server is a desktop's notification server, as far as the app uses it.
// Its person clicks at once: the click's signal goes out before the reply
// to Notify.
type server struct {
	conn   *dbus.Conn
	shown  chan []any
	closed chan uint32
}

func (s *server) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.shown <- []any{app, summary, body, strings.Join(actions, ",")}
	if err := s.conn.Emit(busPath, iface+".ActionInvoked", uint32(7), "default"); err != nil {
		return 0, dbus.MakeFailedError(err)
	}
	return 7, nil
}

func (s *server) CloseNotification(id uint32) *dbus.Error {
	s.closed <- id
	return nil
}

// privateBus starts a session bus of the test's own.
func privateBus(t *testing.T) string {
	bin, err := exec.LookPath("dbus-daemon")
	if err != nil {
		testenv.Missing(t, "dbus-daemon (apt-get install dbus): %v", err)
	}
	cmd := exec.Command(bin, "--session", "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(addr)
}

// A notification reaches the server with its title, body and a default
// action; a click on it runs OnClick, even one that comes before the
// server's reply; Withdraw closes it.
func TestNotifyClickWithdraw(t *testing.T) {
	addr := privateBus(t)
	sconn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer sconn.Close()
	srv := &server{conn: sconn, shown: make(chan []any, 1), closed: make(chan uint32, 1)}
	if err := sconn.Export(srv, busPath, iface); err != nil {
		t.Fatal(err)
	}
	if reply, err := sconn.RequestName(busName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", busName, reply, err)
	}

	n, err := New(Options{AppName: "MCP Conductor", Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
	defer cancel()
	clicked := make(chan struct{})
	id, err := n.Show(ctx, Notification{Title: "Approve?", Body: "write_file", OnClick: func() { close(clicked) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-srv.shown; id != 7 || got[0] != "MCP Conductor" || got[1] != "Approve?" || got[2] != "write_file" || got[3] != "default,Open" {
		t.Fatalf("shown %v as %d", got, id)
	}
	select {
	case <-clicked:
	case <-ctx.Done():
		t.Fatal("the click did not reach OnClick")
	}
	if err := n.Withdraw(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := <-srv.closed; got != 7 {
		t.Errorf("closed %d", got)
	}
}
