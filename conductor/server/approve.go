package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

// protocolRounds is the first protocol version in which a server may not
// send requests while it serves one: it returns the questions in the
// result instead, and the client calls again with the answers (multi
// round-trip requests, SEP-2322).
const protocolRounds = "2026-07-28"

// How the MCP client that started an execution can be asked to approve.
type askMode int

const (
	askNobody askMode = iota // no elicitation: no one can be asked
	askDirect                // elicitation/create while the call runs
	askRounds                // input-required results and retries
)

// askModeOf is how the client that sent req can be asked.
func askModeOf(req *mcp.CallToolRequest) askMode {
	caps := req.ClientCapabilities()
	if caps == nil || caps.Elicitation == nil {
		return askNobody
	}
	if caps.Elicitation.Form == nil && caps.Elicitation.URL != nil {
		return askNobody // URL mode only: the conductor has no page to send it to
	}
	if req.ProtocolVersion() >= protocolRounds {
		return askRounds
	}
	return askDirect
}

// asking runs work with the way to ask the person for the client that
// sent req: in rounds (work runs in the background, see hold), by
// elicitation during the call, through the desktop app, or no one
// (noClient says why the client itself cannot be asked). With progress,
// work also gets a reporter for the client's progress token, if it sent
// one. Executions and skill saves alike ask through it.
func (s *Server) asking(ctx context.Context, req *mcp.CallToolRequest, noClient string, progress bool, work func(context.Context, runOptions) *mcp.CallToolResult) *mcp.CallToolResult {
	mode := askModeOf(req)
	if mode == askRounds {
		return s.hold(ctx, req, progress, work)
	}
	opts := s.appOptions(clientName(req), noClient)
	if mode == askDirect {
		opts = runOptions{ask: directAsker(req.Session, clientName(req))}
	}
	if sink := sinkOf(ctx, req); progress && sink != nil {
		opts.progress = newReporter(sink, realClock)
	}
	res := work(ctx, opts)
	if opts.progress != nil {
		opts.progress.close() // the last report goes before the result
	}
	return res
}

// appOptions asks the desktop app, if the server has a way to
// (Options.AskApp), for client, whose own MCP client cannot ask because of
// noClient.
func (s *Server) appOptions(client, noClient string) runOptions {
	if s.opts.AskApp == nil {
		return runOptions{nobody: firstNonEmpty(noClient, "no desktop app asks for this conductor")}
	}
	return runOptions{ask: s.opts.AskApp(client, noClient)}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// The form the person fills in: one choice.
const decisionField = "decision"

// elicitParams is the question for req, asked on behalf of client.
func elicitParams(client string, req proxy.ApprovalRequest) *mcp.ElicitParams {
	offered := req.Offered()
	choices := make([]string, 0, len(offered))
	for _, c := range offered {
		choices = append(choices, string(c))
	}
	title, msg := "Allow this call?", toolCallMessage(client, req)
	if req.Skill != nil {
		title, msg = "Save this skill?", skillMessage(client, req)
	}
	return &mcp.ElicitParams{
		Mode:    "form",
		Message: msg,
		RequestedSchema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				decisionField: map[string]any{"type": "string", "title": title, "enum": choices},
			},
			"required": []string{decisionField},
		},
	}
}

// toolCallMessage is the question about a tool call made from code.
func toolCallMessage(client string, req proxy.ApprovalRequest) string {
	who := "Code run by " + client
	if client == "" {
		who = "Code run through MCP Conductor"
	}
	return fmt.Sprintf("%s wants to call the tool %q of the MCP server %q with these arguments (secrets hidden):\n%s\nIt asks because of %s.",
		who, req.Tool, req.Server, req.Args, req.Why)
}

// answerOf reads the person's answer to req from an elicitation result:
// accept with one of the choices req offers, or a denial (decline,
// cancel, anything else).
func answerOf(client string, req proxy.ApprovalRequest, res *mcp.ElicitResult) proxy.Answer {
	a := proxy.Answer{Choice: proxy.ChoiceDeny, Via: "elicitation", Approver: client}
	if res == nil || res.Action != "accept" {
		return a
	}
	if s, ok := res.Content[decisionField].(string); ok && slices.Contains(req.Offered(), proxy.Choice(s)) {
		a.Choice = proxy.Choice(s)
	}
	return a
}

// directAsker asks through elicitation/create on the session, while the
// tool call that started the execution waits (protocols before
// protocolRounds).
func directAsker(session *mcp.ServerSession, client string) proxy.Asker {
	return func(ctx context.Context, req proxy.ApprovalRequest) (proxy.Answer, error) {
		res, err := session.Elicit(ctx, elicitParams(client, req))
		if err != nil {
			if ctx.Err() != nil {
				return proxy.Answer{}, ctx.Err()
			}
			return proxy.Answer{Via: "elicitation"}, fmt.Errorf("the MCP client could not be asked (%v); %s", err, req.Remedy())
		}
		return answerOf(client, req, res), nil
	}
}

// heldRun is an execution whose client is asked in rounds: the call that
// started it returns a question, and the client's next call, carrying the
// answer and the question's token, picks it up again. The execution runs
// on, host-side, between the two.
type heldRun struct {
	session *mcp.ServerSession
	tool    string // the tool called: only a call of it picks the run up
	client  string
	asks    chan *question           // from the execution's asker to the waiting call
	done    chan *mcp.CallToolResult // the final result (buffered)
	cancel  context.CancelFunc       // ends the execution
	// progress reports to the call waiting on the run, if it sent a
	// progress token; nil if the first call sent none.
	progress *reporter
}

// question is one approval request waiting for its round.
type question struct {
	req    proxy.ApprovalRequest
	answer chan proxy.Answer // buffered
}

// waiting is a question handed to the client, under its token.
type waiting struct {
	run *heldRun
	q   *question
}

// heldRuns are the questions handed to clients, by token.
type heldRuns struct {
	mu sync.Mutex
	m  map[string]waiting
}

// put files w and returns its token: 32 random bytes, so that a token can
// be neither guessed nor made up.
func (h *heldRuns) put(w waiting) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]waiting{}
	}
	h.m[token] = w
	return token
}

// take removes and returns the question filed under token, if it belongs to
// session and to a call of tool.
func (h *heldRuns) take(token string, session *mcp.ServerSession, tool string) (waiting, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	w, ok := h.m[token]
	if !ok || w.run.session != session || w.run.tool != tool {
		return waiting{}, false
	}
	delete(h.m, token)
	return w, true
}

// forget removes every question of run (it ended).
func (h *heldRuns) forget(run *heldRun) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, w := range h.m {
		if w.run == run {
			delete(h.m, k)
		}
	}
}

// asker asks in rounds: it hands the question to the call waiting on the
// run, and waits for the client's next call to bring the answer.
func (r *heldRun) asker() proxy.Asker {
	return func(ctx context.Context, req proxy.ApprovalRequest) (proxy.Answer, error) {
		q := &question{req: req, answer: make(chan proxy.Answer, 1)}
		select {
		case r.asks <- q:
		case <-ctx.Done():
			return proxy.Answer{Via: "elicitation"}, errors.New("the MCP client did not come back for the question")
		}
		select {
		case a := <-q.answer:
			return a, nil
		case <-ctx.Done():
			return proxy.Answer{Via: "elicitation"}, errors.New("the MCP client did not answer")
		}
	}
}

// heldGrace is how long a question stays answerable after its run ended:
// as long as a person may take to answer one.
const heldGrace = 5 * time.Minute

// errGone answers a retry whose question is no longer waiting.
var errGone = errors.New("this approval question is no longer waiting (it was answered, timed out, or the conductor restarted); run the code again")

// hold runs work in the background, for a client asked in rounds, and
// waits for its first question or its result. work (an execution, a skill
// save) asks through the questions it is given; with progress, it reports
// to the client's progress token, if the call sent one.
func (s *Server) hold(ctx context.Context, req *mcp.CallToolRequest, progress bool, work func(context.Context, runOptions) *mcp.CallToolResult) *mcp.CallToolResult {
	// The work outlives this call when it asks: its own timeout, and
	// cancellation of a call waiting on it, end it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	run := &heldRun{session: req.Session, tool: req.Params.Name, client: clientName(req), asks: make(chan *question),
		done: make(chan *mcp.CallToolResult, 1), cancel: cancel}
	opts := runOptions{ask: run.asker()}
	if sink := sinkOf(ctx, req); progress && sink != nil {
		run.progress = newReporter(sink, realClock)
		opts.progress = run.progress
	}
	go func() {
		defer cancel()
		// A question may still be out when the run ends (it timed out, or
		// its code stopped waiting): the client's answer, when it comes,
		// picks up the result instead. After heldGrace it is forgotten.
		defer time.AfterFunc(heldGrace, func() { s.held.forget(run) })
		res := work(runCtx, opts)
		if run.progress != nil {
			run.progress.close()
		}
		run.done <- res
	}()
	return s.await(ctx, run)
}

// resume is a client's next call with the answer to a question; gone is
// the answer when no question of this call's waits under its token.
func (s *Server) resume(ctx context.Context, req *mcp.CallToolRequest, gone *mcp.CallToolResult) *mcp.CallToolResult {
	w, ok := s.held.take(req.Params.RequestState, req.Session, req.Params.Name)
	if !ok {
		return gone
	}
	var res *mcp.ElicitResult
	for _, r := range req.Params.InputResponses {
		if e, ok := r.(*mcp.ElicitResult); ok && len(req.Params.InputResponses) == 1 {
			res = e
		}
	}
	if w.run.progress != nil {
		w.run.progress.setSink(sinkOf(ctx, req)) // this call's token, if any
	}
	w.q.answer <- answerOf(w.run.client, w.q.req, res)
	return s.await(ctx, w.run)
}

// await waits for run's next question (handed to the client as an
// input-required result) or its result. A cancelled call ends the run.
func (s *Server) await(ctx context.Context, run *heldRun) *mcp.CallToolResult {
	select {
	case r := <-run.done:
		return r
	case q := <-run.asks:
		if run.progress != nil {
			run.progress.setSink(nil) // this call ends; the retry brings its own token
		}
		token := s.held.put(waiting{run: run, q: q})
		return &mcp.CallToolResult{
			InputRequests: mcp.InputRequestMap{"approval": elicitParams(run.client, q.req)},
			RequestState:  token,
		}
	case <-ctx.Done():
		run.cancel()
		return <-run.done
	}
}
