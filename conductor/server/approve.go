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
	who := "Code run by " + client
	if client == "" {
		who = "Code run through MCP Conductor"
	}
	choices := make([]string, 0, len(proxy.Choices))
	for _, c := range proxy.Choices {
		choices = append(choices, string(c))
	}
	return &mcp.ElicitParams{
		Mode: "form",
		Message: fmt.Sprintf("%s wants to call the tool %q of the MCP server %q with these arguments (secrets hidden):\n%s\nIt asks because of %s.",
			who, req.Tool, req.Server, req.Args, req.Why),
		RequestedSchema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				decisionField: map[string]any{"type": "string", "title": "Allow this call?", "enum": choices},
			},
			"required": []string{decisionField},
		},
	}
}

// answerOf reads the person's answer from an elicitation result: accept
// with one of the choices, or a denial (decline, cancel, anything else).
func answerOf(client string, res *mcp.ElicitResult) proxy.Answer {
	a := proxy.Answer{Choice: proxy.ChoiceDeny, Via: "elicitation", Approver: client}
	if res == nil || res.Action != "accept" {
		return a
	}
	if s, ok := res.Content[decisionField].(string); ok && slices.Contains(proxy.Choices, proxy.Choice(s)) {
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
			return proxy.Answer{Via: "elicitation"}, fmt.Errorf("the MCP client could not be asked (%v)", err)
		}
		return answerOf(client, res), nil
	}
}

// heldRun is an execution whose client is asked in rounds: the call that
// started it returns a question, and the client's next call, carrying the
// answer and the question's token, picks it up again. The execution runs
// on, host-side, between the two.
type heldRun struct {
	session *mcp.ServerSession
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
// session.
func (h *heldRuns) take(token string, session *mcp.ServerSession) (waiting, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	w, ok := h.m[token]
	if !ok || w.run.session != session {
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

// startRounds runs in in the background, for a client asked in rounds, and
// waits for its first question or its result.
func (s *Server) startRounds(ctx context.Context, req *mcp.CallToolRequest, in RunInput) *mcp.CallToolResult {
	// The execution outlives this call when it asks: its own timeout, and
	// cancellation of a call waiting on it, end it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	run := &heldRun{session: req.Session, client: clientName(req), asks: make(chan *question),
		done: make(chan *mcp.CallToolResult, 1), cancel: cancel}
	opts := runOptions{ask: run.asker()}
	if sink := sinkOf(ctx, req); sink != nil {
		run.progress = newReporter(sink, realClock)
		opts.progress = run.progress
	}
	go func() {
		defer cancel()
		// A question may still be out when the run ends (it timed out, or
		// its code stopped waiting): the client's answer, when it comes,
		// picks up the result instead. After heldGrace it is forgotten.
		defer time.AfterFunc(heldGrace, func() { s.held.forget(run) })
		res, err := s.execute(runCtx, run.client, in, opts)
		if run.progress != nil {
			run.progress.close()
		}
		run.done <- s.resultOf(res, err)
	}()
	return s.await(ctx, run)
}

// resume is a client's next call with the answer to a question.
func (s *Server) resume(ctx context.Context, req *mcp.CallToolRequest) *mcp.CallToolResult {
	w, ok := s.held.take(req.Params.RequestState, req.Session)
	if !ok {
		return runResult(failure(kindInput, errGone.Error()))
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
	w.q.answer <- answerOf(w.run.client, res)
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
