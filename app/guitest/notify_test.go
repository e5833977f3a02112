//go:build gui

package guitest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// notifications is a desktop's notification server on the session's bus,
// as far as the app uses it.
type notifications struct {
	shown  chan string // the body of each notification
	closed chan uint32
}

func (n *notifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.shown <- summary + "\n" + body + "\nactions: " + strings.Join(actions, ",")
	return 42, nil
}

func (n *notifications) CloseNotification(id uint32) *dbus.Error {
	n.closed <- id
	return nil
}

func (n *notifications) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

// TestNotificationShowsTheQuestion: with the window hidden (in the tray), a
// --stdio conductor whose client cannot ask puts a question to the app; a
// desktop notification says what waits, a click on it shows the window,
// and the notification is withdrawn. The client gives up: the call is
// denied and the canary file is not written.
func TestNotificationShowsTheQuestion(t *testing.T) {
	s := newSession(t)
	shared := askingFilesystem(t, s)
	srv := &notifications{shown: make(chan string, 4), closed: make(chan uint32, 4)}
	if err := s.bus.Export(srv, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := s.bus.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the notification server's name: %v %v", reply, err)
	}
	a, _ := startWithTray(t, s, "notify", "MCP_CONDUCTOR_START_HIDDEN=1")
	w := s.window(30 * time.Second)
	if s.x.viewable(w) {
		t.Fatal("the window is shown although the app was started hidden")
	}

	c := ctx(t, 10*time.Minute) // a hang guard
	canary, giveUp, done := askFromStdio(t, c, s, shared)

	var body string
	select {
	case body = <-srv.shown:
	case <-c.Done():
		t.Fatalf("no notification\napp log:\n%s", a.log)
	}
	if !strings.Contains(body, "guitest-client wants to call write_file of the MCP server filesystem") || !strings.Contains(body, "actions: default") {
		t.Errorf("notification: %q", body)
	}
	if err := s.bus.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", uint32(42), "default"); err != nil {
		t.Fatal(err)
	}
	if !waitFor(longWait(10*time.Second), func() bool { return s.x.viewable(w) }) {
		t.Fatalf("a click on the notification did not show the window\napp log:\n%s", a.log)
	}
	select {
	case id := <-srv.closed:
		if id != 42 {
			t.Errorf("closed notification %d", id)
		}
	case <-c.Done():
		t.Fatal("the notification was not withdrawn once the window showed")
	}
	s.screenshot(w, "notify-question-in-window", 40, longWait(30*time.Second))

	giveUpAndQuit(t, a, canary, giveUp, done)
}

// TestNoNotificationServerShowsTheWindow: with the window hidden and no
// notification server on the bus, the notification cannot be shown, and a
// question shows the window itself, whose dialog asks (on macOS and
// Windows the app has no notifications at all: TestApprovalNotesWithout-
// Notifications covers that). The client gives up: the canary file is not
// written.
func TestNoNotificationServerShowsTheWindow(t *testing.T) {
	s := newSession(t)
	shared := askingFilesystem(t, s)
	a, _ := startWithTray(t, s, "nonotify", "MCP_CONDUCTOR_START_HIDDEN=1")
	w := s.window(30 * time.Second)
	if s.x.viewable(w) {
		t.Fatal("the window is shown although the app was started hidden")
	}
	c := ctx(t, 10*time.Minute) // a hang guard
	canary, giveUp, done := askFromStdio(t, c, s, shared)
	if !waitFor(longWait(60*time.Second), func() bool { return s.x.viewable(w) }) {
		t.Fatalf("the question did not show the hidden window\napp log:\n%s", a.log)
	}
	s.screenshot(w, "no-notification-question-in-window", 40, longWait(30*time.Second))
	giveUpAndQuit(t, a, canary, giveUp, done)
}

// giveUpAndQuit has the asking client give up, checks that its call did
// not run (the canary is not written) and quits the app cleanly.
func giveUpAndQuit(t *testing.T, a *app, canary string, giveUp func(), done <-chan error) {
	t.Helper()
	giveUp()
	<-done
	if _, err := os.Stat(canary); err == nil {
		t.Fatal("the call ran without an answer")
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	if code, err := a.wait(15 * time.Second); err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// askFromStdio is an AI client without elicitation, through its own
// --stdio conductor, whose code writes a canary file through the asking
// filesystem server: the question goes to the app. giveUp stops waiting;
// done then reports the call's end.
func askFromStdio(t *testing.T, c context.Context, s *session, shared string) (canary string, giveUp func(), done <-chan error) {
	t.Helper()
	cmd := exec.Command(binary, "--stdio")
	cmd.Env = s.env()
	cmd.Stderr = os.Stderr
	session, err := mcp.NewClient(&mcp.Implementation{Name: "guitest-client", Version: "1"}, nil).
		Connect(c, &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { session.Close() })
	canary = filepath.Join(shared, "canary.txt")
	callCtx, cancel := context.WithCancel(c)
	ch := make(chan error, 1)
	go func() {
		_, err := session.CallTool(callCtx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{
			"deno_code": fmt.Sprintf(`await (await mcpFactory.load("filesystem")).write_file({ path: %q, content: "x" })`, canary)}})
		ch <- err
	}()
	return canary, cancel, ch
}
