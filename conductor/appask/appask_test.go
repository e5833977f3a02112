package appask

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
)

func home(t *testing.T) string {
	h := filepath.Join(t.TempDir(), "h")
	if err := os.MkdirAll(h, 0o700); err != nil {
		t.Fatal(err)
	}
	return h
}

var req = proxy.ApprovalRequest{Server: "fs", Tool: "write_file", Args: json.RawMessage(`{"path":"a"}`), Why: "a rule"}

// The app's answers reach the asker, with the question as asked, and the
// answer is recorded as the app's.
func TestAskTheApp(t *testing.T) {
	for _, choice := range proxy.Choices {
		t.Run(string(choice), func(t *testing.T) {
			h := home(t)
			var got Question
			svc, err := Listen(h, func(_ context.Context, q Question) (proxy.Choice, error) { got = q; return choice, nil })
			if err != nil {
				t.Fatal(err)
			}
			defer svc.Close()
			a, err := Asker(AskOptions{Home: h, Client: "cli"})(context.Background(), req)
			if err != nil || a.Choice != choice || a.Via != Via {
				t.Fatalf("answer %+v, %v", a, err)
			}
			if got.Client != "cli" || got.Server != "fs" || got.Tool != "write_file" || string(got.Args) != `{"path":"a"}` || got.Why != "a rule" {
				t.Errorf("question %+v", got)
			}
		})
	}
}

// With no app, or an app that cannot ask, the asker says why; an app that
// closed removed its key.
func TestAskNoApp(t *testing.T) {
	h := home(t)
	ask := Asker(AskOptions{Home: h, Client: "cli", NoClient: "cli has no elicitation"})
	if _, err := ask(context.Background(), req); err == nil || !strings.Contains(err.Error(), "not running") || !strings.Contains(err.Error(), "cli has no elicitation") {
		t.Fatalf("no app: %v", err)
	}
	svc, err := Listen(h, func(context.Context, Question) (proxy.Choice, error) { return "", errors.New("the app has no window") })
	if err != nil {
		t.Fatal(err)
	}
	if a, err := ask(context.Background(), req); err == nil || !strings.Contains(err.Error(), "the app has no window") || a.Via != Via {
		t.Fatalf("no window: %+v %v", a, err)
	}
	svc.Close()
	if _, err := os.Stat(filepath.Join(h, KeyName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the key outlived the app: %v", err)
	}
	if _, err := ask(context.Background(), req); err == nil || !strings.Contains(err.Error(), "not running") {
		t.Fatalf("closed app: %v", err)
	}
}

// The channel's files are among the home's protected entries, whether or
// not they exist yet and wherever the workspace is.
func TestChannelFilesAreProtected(t *testing.T) {
	h := home(t)
	for _, ws := range []string{filepath.Join(h, "workspace"), filepath.Join(t.TempDir(), "ws")} {
		p := config.Policy{Home: h, Workspace: ws, MCPConfig: filepath.Join(h, "mcp-config.json")}
		for _, name := range []string{SocketName, KeyName} {
			found := false
			for _, x := range p.Protected() {
				if _, in := pathid.Within(filepath.Join(h, name), x.Path); in && x.Access == config.NoAccess {
					found = true
				}
			}
			if !found {
				t.Errorf("workspace %s: %s is not protected", ws, name)
			}
		}
	}
}
