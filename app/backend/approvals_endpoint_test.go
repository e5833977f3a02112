package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/appask"
	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// A client that cannot elicit, on the app's own HTTP endpoint: a call its
// code makes that needs approval is asked in the window, with the client's
// name, and the person's answer decides it. Allow once writes the first
// file; deny leaves the second, which would hold a canary, unwritten.
func TestApprovalOnTheAppsEndpoint(t *testing.T) {
	deno := testenv.Deno(t)
	home := newHome(t, freePort(t))
	user := filepath.Dir(home)
	root := filepath.Join(t.TempDir(), "shared")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{"filesystem": map[string]any{
		"command":  testenv.Node(t),
		"args":     []string{testenv.NodeModule(t, "@modelcontextprotocol/server-filesystem/dist/index.js"), root},
		"approval": map[string]any{"ask": []string{"write_file"}},
	}}})
	if err := os.WriteFile(filepath.Join(home, "mcp-config.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	changed := make(chan struct{}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b := Start(ctx, Options{Version: "test", Logger: testenv.CaptureLogs(t).Logger(),
		Environ:   []string{"HOME=" + user, "PATH=", config.EnvHome + "=" + home, config.EnvDeno + "=" + deno},
		ClientEnv: clients.Env{GOOS: "linux", Home: user},
		OnApprovals: func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		}})
	defer b.Close()
	if _, err := b.engine(); err != nil {
		t.Fatal(err)
	}
	ep := b.EndpointStatus(ctx)
	token, err := b.Token()
	if !ep.Running || err != nil {
		t.Fatalf("endpoint %+v, token: %v", ep, err)
	}

	// The person at the window: allow the first question, deny the second.
	asked := make(chan ApprovalQuestion, 2)
	go func() {
		for _, answer := range []string{"allow once", "deny"} {
			for {
				if qs := b.Approvals(); len(qs) > 0 {
					asked <- qs[0]
					_ = b.AnswerApproval(qs[0].ID, answer)
					break
				}
				select {
				case <-changed:
				case <-ctx.Done():
					return
				}
			}
		}
	}()

	session, err := mcp.NewClient(&mcp.Implementation{Name: "no-elicitation", Version: "1"}, nil).Connect(ctx,
		&mcp.StreamableClientTransport{Endpoint: ep.URL, HTTPClient: &http.Client{Transport: bearer{token}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	allowed, denied := filepath.Join(root, "allowed.txt"), filepath.Join(root, "denied.txt")
	code := fmt.Sprintf(`const fs = await mcpFactory.load("filesystem");
const out = [];
for (const [p, c] of [[%q, "written"], [%q, "CANARY"]]) {
  try { await fs.write_file({ path: p, content: c }); out.push("ok"); } catch (e) { out.push(String(e.message)); }
}
out`, allowed, denied)
	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": code}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(res.StructuredContent)
	if b, err := os.ReadFile(allowed); err != nil || string(b) != "written" {
		t.Errorf("allowed once, the file: %q, %v; run: %s", b, err, out)
	}
	if _, err := os.Stat(denied); !os.IsNotExist(err) {
		t.Errorf("denied, the file was written anyway: %v; run: %s", err, out)
	}
	if !strings.Contains(string(out), "denied") || strings.Contains(string(out), `["ok","ok"]`) {
		t.Errorf("the code was not told of the denial: %s", out)
	}
	for i := 0; i < 2; i++ {
		q := <-asked
		if q.Client != "no-elicitation" || q.Server != "filesystem" || q.Tool != "write_file" {
			t.Errorf("question %d: %+v", i, q)
		}
	}

	// Both decisions are audited as the window's.
	audit, err := os.ReadFile(filepath.Join(home, "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var decisions []string
	for _, line := range strings.Split(strings.TrimSpace(string(audit)), "\n") {
		var rec struct{ Kind, Decision, Via, Client string }
		_ = json.Unmarshal([]byte(line), &rec)
		if rec.Kind == "approval" {
			decisions = append(decisions, rec.Client+"/"+rec.Via+"/"+rec.Decision)
		}
	}
	want := "no-elicitation/" + appask.Via + "/allow once,no-elicitation/" + appask.Via + "/deny"
	if strings.Join(decisions, ",") != want {
		t.Errorf("audited %q, want %q", strings.Join(decisions, ","), want)
	}
}
