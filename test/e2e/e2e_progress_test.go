package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// notes keeps what a client was notified of.
type notes struct {
	mu       sync.Mutex
	progress []string
	logs     []string
	onNote   func(msg string)
}

func (n *notes) options() *mcp.ClientOptions {
	return &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			n.mu.Lock()
			n.progress = append(n.progress, req.Params.Message)
			f := n.onNote
			n.mu.Unlock()
			if f != nil {
				f(req.Params.Message)
			}
		},
		//lint:ignore SA1019 the conductor sends the code's output as log notifications too, for clients that show them
		LoggingMessageHandler: func(_ context.Context, req *mcp.LoggingMessageRequest) {
			n.mu.Lock()
			defer n.mu.Unlock()
			if s, ok := req.Params.Data.(string); ok {
				n.logs = append(n.logs, s)
			}
		},
	}
}

func (n *notes) snapshot() ([]string, []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.progress...), append([]string(nil), n.logs...)
}

// A client that sends a progress token hears of the code's output
// (throttled: at most one report per 250 ms of the run, however many lines)
// and of each proxied call as it starts and ends; the result is the same
// as without a token.
func TestProgressReportsOutputAndCalls(t *testing.T) {
	for _, proto := range []string{"", "2025-11-25"} {
		t.Run("protocol "+firstNonEmptyString(proto, "latest"), func(t *testing.T) {
			home := t.TempDir()
			chome := filepath.Join(home, ".mcp-conductor")
			writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), upstreams(t, filepath.Join(home, "shared")))
			n := &notes{}
			var sopts *mcp.ClientSessionOptions
			if proto != "" {
				sopts = &mcp.ClientSessionOptions{ProtocolVersion: proto}
			}
			c := startConductorWith(t, n.options(), sopts, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=x")
			ctx := context.Background()
			meta := mcp.Meta{"io.modelcontextprotocol/logLevel": "info"}
			if proto != "" {
				//lint:ignore SA1019 before 2026-07-28 a client asks for log notifications this way
				if err := c.session.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: "info"}); err != nil {
					t.Fatal(err)
				}
				meta = mcp.Meta{}
			}
			const lines = 20000
			code := fmt.Sprintf(`for (let i = 0; i < %d; i++) console.log("line " + i);
const ev = await mcpFactory.load("everything");
const echoed = await ev.echo({ message: "hi" });
console.log("after the call");
echoed`, lines)
			params := &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": code}, Meta: meta}
			params.SetProgressToken("run-1")
			res, err := c.session.CallTool(ctx, params)
			if err != nil {
				t.Fatal(err)
			}
			var with runResult
			b, _ := json.Marshal(res.StructuredContent)
			if err := json.Unmarshal(b, &with); err != nil || with.Status != "success" {
				t.Fatalf("%v: %s", err, b)
			}
			without := c.run(code, nil).mustSucceed(t)
			if with.Stdout != without.Stdout || fmt.Sprint(with.ReturnValue) != fmt.Sprint(without.ReturnValue) || len(with.ToolCalls) != len(without.ToolCalls) {
				t.Errorf("the result changed with a progress token:\n%s\n%s", b, without.raw)
			}

			progress, logs := n.snapshot()
			// The calls (load and echo) add two each.
			// Output: the first report at once, then at least 250 ms apart until
			// 250 ms after the last line, then the last report: at most
			// 3 + ms/250.
			bound := 3 + int(with.ExecutionTimeMs/250) + 4
			t.Logf("%d lines in %.0f ms: %d progress notifications (bound %d), %d log notifications", lines, with.ExecutionTimeMs, len(progress), bound, len(logs))
			if len(progress) > bound {
				t.Errorf("%d progress notifications for %.0f ms, more than %d", len(progress), with.ExecutionTimeMs, bound)
			}
			all := strings.Join(progress, "\n")
			for _, want := range []string{"calling load everything", "calling everything.echo", "everything.echo done in"} {
				if !strings.Contains(all, want) {
					t.Errorf("no %q in %q", want, progress)
				}
			}
			if !strings.Contains(all, "stdout line") {
				t.Errorf("no output reported: %q", progress)
			}
			if logText := strings.Join(logs, "\n"); !strings.Contains(logText, "line 0") {
				t.Errorf("no output logged (%d log notifications)", len(logs))
			}
		})
	}
}

// Cancelling a run that reports progress still kills its process.
func TestProgressCancellationKills(t *testing.T) {
	n := &notes{}
	pids := make(chan int, 1)
	n.onNote = func(msg string) {
		if _, rest, ok := strings.Cut(msg, ": pid "); ok {
			if pid, err := strconv.Atoi(rest); err == nil {
				select {
				case pids <- pid:
				default:
				}
			}
		}
	}
	c := startConductorWith(t, n.options(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		params := &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{
			"deno_code": `console.log("pid " + Deno.pid); await new Promise((r) => setTimeout(r, 600000))`, "timeout": 900000}}
		params.SetProgressToken(7)
		_, err := c.session.CallTool(ctx, params)
		done <- err
	}()
	var pid int
	select {
	case pid = <-pids:
	case err := <-done:
		t.Fatalf("the run ended before reporting its pid: %v", err)
	case <-time.After(20 * time.Second):
		p, _ := n.snapshot()
		t.Fatalf("no progress report of the code's pid: %q", p)
	}
	cancel()
	<-done
	waitGone(t, pid)
	c.run("1", nil).mustSucceed(t)
}

// A run that stops for an approval in rounds (protocol 2026-07-28) keeps
// reporting: the client's retry carries the token, and the reports after
// the answer go to it.
func TestProgressAcrossAnApproval(t *testing.T) {
	chome, root, _ := approvalSetup(t)
	n := &notes{}
	p := &person{}
	p.say("allow once")
	opts := n.options()
	opts.ElicitationHandler = p.handler
	c := startConductorWith(t, opts, nil, "MCP_CONDUCTOR_HOME="+chome)
	target := filepath.Join(root, "after-approval.txt")
	params := &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": `console.log("before");
` + writeCode(target) + `; console.log("after"); "done"`}}
	params.SetProgressToken("with-approval")
	res, err := c.session.CallTool(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res.StructuredContent)
	if res.IsError || !exists(target) || len(p.asked()) != 1 {
		t.Fatalf("asked %d; %s", len(p.asked()), b)
	}
	// The client may hand notifications to its handler after the result:
	// wait for them (the bound is for a broken conductor, not a slow one).
	for _, want := range []string{"calling filesystem.write_file", "filesystem.write_file done in", ": after"} {
		if !n.await(want, 30*time.Second) {
			progress, _ := n.snapshot()
			t.Errorf("no %q in the reports: %q", want, progress)
		}
	}
}

// await reports whether a progress message holding want arrives within d.
func (n *notes) await(want string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		progress, _ := n.snapshot()
		if strings.Contains(strings.Join(progress, "\n"), want) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}
