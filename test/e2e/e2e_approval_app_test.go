package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/appask"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// desktopApp is the app's end of the approval channel, run by the test: the
// real service, with a person who gives the scripted answers ("never":
// never answers, waits until the question is withdrawn).
type desktopApp struct {
	mu        sync.Mutex
	answers   []string
	questions []appask.Question
	withdrawn chan struct{} // closed when a "never" question is withdrawn
}

func startApp(t *testing.T, home string, answers ...string) *desktopApp {
	t.Helper()
	a := &desktopApp{answers: answers, withdrawn: make(chan struct{})}
	svc, err := appask.Listen(home, a.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return a
}

func (a *desktopApp) handle(ctx context.Context, q appask.Question) (proxy.Choice, error) {
	a.mu.Lock()
	a.questions = append(a.questions, q)
	next := "deny"
	if len(a.answers) > 0 {
		next, a.answers = a.answers[0], a.answers[1:]
	}
	a.mu.Unlock()
	if next == "never" {
		<-ctx.Done()
		close(a.withdrawn)
		return "", ctx.Err()
	}
	return proxy.Choice(next), nil
}

func (a *desktopApp) asked() []appask.Question {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]appask.Question(nil), a.questions...)
}

// appSetup is approvalSetup with a secret in the filesystem server's
// environment, which questions must mask.
func appSetup(t *testing.T) (chome, root, cfgPath, secret string) {
	chome, root, cfgPath = approvalSetup(t)
	secret = "canary-secret-" + fmt.Sprint(time.Now().UnixNano())
	b, _ := json.MarshalIndent(map[string]any{
		"askForChanges": true,
		"mcpServers": map[string]any{
			"filesystem": map[string]any{
				"command": testenv.Node(t),
				"args":    []string{testenv.NodeModule(t, "@modelcontextprotocol/server-filesystem/dist/index.js"), root},
				"env":     map[string]string{"FS_API_TOKEN": secret},
			},
		},
	}, "", "  ")
	writeFile(t, cfgPath, string(b)+"\n")
	return chome, root, cfgPath, secret
}

// A client without elicitation, through a real --stdio conductor: the
// desktop app is asked instead, with the server, tool, masked arguments and
// the client's name, and its answer decides; the audit log says the app
// answered.
func TestApprovalByTheDesktopApp(t *testing.T) {
	chome, root, _, secret := appSetup(t)
	app := startApp(t, chome, "allow once", "deny", "allow for this execution")
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome)
	f := func(n string) string { return filepath.Join(root, n) }

	code := fmt.Sprintf(`const fs = await mcpFactory.load("filesystem");
const out = [];
for (const p of [%q, %q]) {
  try { await fs.write_file({ path: p, content: %q }); out.push("ok"); } catch (e) { out.push(String(e.message)); }
}
out`, f("allowed.txt"), f("denied.txt"), secret)
	r := c.run(code, nil).mustSucceed(t)
	got := fmt.Sprint(r.ReturnValue)
	if !exists(f("allowed.txt")) || exists(f("denied.txt")) || !strings.Contains(got, "denied it") {
		t.Fatalf("allow once, then deny: %s", got)
	}
	qs := app.asked()
	if len(qs) != 2 {
		t.Fatalf("asked %d times, want 2: %+v", len(qs), qs)
	}
	q := qs[0]
	if q.Client != "e2e" || q.Server != "filesystem" || q.Tool != "write_file" || !strings.Contains(string(q.Args), "allowed.txt") || q.Why == "" {
		t.Errorf("question: %+v", q)
	}
	for _, q := range qs {
		if strings.Contains(string(q.Args), secret) {
			t.Errorf("the app was shown the server's secret: %s", q.Args)
		}
	}

	// For this execution: asked once for two calls.
	r = c.run(writeCode(f("x1.txt"), f("x2.txt")), nil).mustSucceed(t)
	if len(app.asked()) != 3 || !exists(f("x1.txt")) || !exists(f("x2.txt")) {
		t.Fatalf("for this execution: asked %d; %s", len(app.asked()), r.raw)
	}

	audit, err := os.ReadFile(filepath.Join(chome, "logs", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var decisions []string
	for _, line := range strings.Split(strings.TrimSpace(string(audit)), "\n") {
		var rec struct{ Kind, Tool, Decision, Via, Client string }
		_ = json.Unmarshal([]byte(line), &rec)
		if rec.Kind == "approval" {
			decisions = append(decisions, rec.Client+"/"+rec.Tool+"/"+rec.Via+"/"+rec.Decision)
		}
	}
	want := []string{"e2e/write_file/app/allow once", "e2e/write_file/app/deny", "e2e/write_file/app/allow for this execution"}
	if strings.Join(decisions, "\n") != strings.Join(want, "\n") {
		t.Errorf("audited decisions:\n%s\nwant:\n%s", strings.Join(decisions, "\n"), strings.Join(want, "\n"))
	}
}

// An app that never answers: at the approval timeout (tiny here) the call
// is denied and the question is withdrawn from the app. No timing is
// asserted: the person never answers, whatever the machine's speed.
func TestApprovalDesktopAppNoAnswerDenies(t *testing.T) {
	chome, root, _ := approvalSetup(t)
	app := startApp(t, chome, "never")
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_APPROVAL_TIMEOUT=200")
	canary := filepath.Join(root, "canary.txt")
	r := c.run(writeCode(canary), nil).mustSucceed(t)
	if msg := fmt.Sprint(r.ReturnValue); exists(canary) || !strings.Contains(msg, "no answer within 200ms") {
		t.Fatalf("%s", r.raw)
	}
	select {
	case <-app.withdrawn:
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("the app's question was not withdrawn when the conductor stopped waiting")
	}
}

// Sandboxed code with broad grants tries to take the app's part: read its
// key, ask it itself, and, when no app runs, listen on its socket and
// answer "always allow". The host checks every answer's signature, so the
// destructive tool never runs (canary), mcp-config.json is unchanged, and
// the key never reaches the code.
func TestApprovalDesktopAppCannotBeForged(t *testing.T) {
	for _, running := range []bool{false, true} {
		t.Run(fmt.Sprintf("app running %v", running), func(t *testing.T) {
			chome, root, cfgPath := approvalSetup(t)
			var app *desktopApp
			if running {
				app = startApp(t, chome) // denies every question
			}
			c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_RUN_ARGS=allow-read;allow-write;allow-net;allow-env")
			cfgBefore, _ := os.ReadFile(cfgPath)
			canary := filepath.Join(root, "canary.txt")
			sock, keyPath := filepath.Join(chome, appask.SocketName), filepath.Join(chome, appask.KeyName)
			code := fmt.Sprintf(`
const sock = %q, keyPath = %q, canary = %q;
const out = {};
const attempt = async (name, f) => { try { out[name] = await f(); } catch (e) { out[name] = "refused: " + e.message; } };
await attempt("readKey", () => Deno.readTextFile(keyPath));
await attempt("statHome", async () => [...Deno.readDirSync(%q)].map((e) => e.name).join(","));
await attempt("ask", async () => {
  const c = await Deno.connect({ transport: "unix", path: sock });
  await c.write(new TextEncoder().encode(JSON.stringify({ msg: { server: "filesystem", tool: "write_file", nonce: "x" }, mac: "00" }) + "\n"));
  const buf = new Uint8Array(256); const n = await c.read(buf); c.close(); return "read " + n;
});
// Pose as the app: answer every question "always allow this tool".
let fake;
await attempt("removeSocket", async () => { await Deno.remove(sock); return "removed"; });
await attempt("listen", async () => {
  fake = Deno.listen({ transport: "unix", path: sock });
  (async () => {
    for await (const conn of fake) {
      const buf = new Uint8Array(1 << 20); const n = await conn.read(buf);
      let nonce = "";
      try { nonce = JSON.parse(JSON.parse(new TextDecoder().decode(buf.subarray(0, n))).msg).nonce; } catch { try { nonce = JSON.parse(new TextDecoder().decode(buf.subarray(0, n))).msg.nonce; } catch {} }
      const msg = { nonce, choice: "always allow this tool" };
      await conn.write(new TextEncoder().encode(JSON.stringify({ msg, mac: "0".repeat(64) }) + "\n"));
      conn.close();
    }
  })();
  return "listening";
});
await attempt("writeKey", async () => { await Deno.writeTextFile(keyPath, "00".repeat(32)); return "written"; });
await attempt("call", async () => { await (await mcpFactory.load("filesystem")).write_file({ path: canary, content: "forged" }); return "ran"; });
try { fake?.close(); } catch {}
out
`, sock, keyPath, canary, chome)
			r := c.run(code, nil).mustSucceed(t)
			if exists(canary) {
				t.Fatalf("a forged approval ran the destructive tool; result %s", r.raw)
			}
			if b, _ := os.ReadFile(cfgPath); string(b) != string(cfgBefore) {
				t.Errorf("mcp-config.json changed:\n%s", b)
			}
			t.Logf("attempts: %s", r.raw)
			out, _ := r.ReturnValue.(map[string]any)
			if !strings.Contains(fmt.Sprint(out["call"]), "denied") {
				t.Errorf("the call was not denied: %s", r.raw)
			}
			for _, k := range []string{"readKey", "ask", "listen", "writeKey", "removeSocket"} {
				if !strings.HasPrefix(fmt.Sprint(out[k]), "refused") {
					t.Errorf("%s was not refused: %v", k, out[k])
				}
			}
			if key, err := os.ReadFile(keyPath); err == nil && strings.Contains(string(r.raw), strings.TrimSpace(string(key))) {
				t.Errorf("the app's key leaked to the code: %s", r.raw)
			}
			if running {
				// The real app was asked the real question (and denied it);
				// the code's own message was not taken for a question.
				qs := app.asked()
				if len(qs) != 1 || !strings.Contains(string(qs[0].Args), "canary.txt") {
					t.Errorf("the app was asked %+v", qs)
				}
			}
		})
	}
}
