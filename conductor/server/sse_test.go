package server

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// SEP-1699, for a client of protocol 2025-11-25: the SSE response to a
// call opens with a priming event (an ID, no data), and a client whose
// stream broke before the result came reconnects with that ID as
// Last-Event-ID and gets the result.
func TestSSEPrimingAndResumption(t *testing.T) {
	s := echoServer()
	entered, release := addWaitTool(s)
	addr := serve(t, s, long)
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	c := &sseClient{t: t, ctx: ctx, url: "http://" + addr + "/mcp"}

	resp := c.post(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`)
	c.session = resp.Header.Get("Mcp-Session-Id")
	c.events(resp, 2) // priming, result
	if resp := c.post(`{"jsonrpc":"2.0","method":"notifications/initialized"}`); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("initialized: %s", resp.Status)
	}

	resp = c.post(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}`)
	evs := c.events(resp, 2)
	if evs[0].id == "" || evs[0].data != "" {
		t.Fatalf("the first event is %+v, want a priming event: an id and no data", evs[0])
	}
	if !strings.Contains(evs[1].data, `"text":"hi"`) || evs[1].id == "" {
		t.Fatalf("the second event is %+v, want the echo's result with an id", evs[1])
	}

	// The stream of a call breaks after its priming event; the result
	// comes on the GET that resumes it.
	resp = c.post(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"wait","arguments":{}}}`)
	prime := c.events(resp, 1)[0]
	resp.Body.Close()
	<-entered
	close(release)
	resp = c.get(prime.id)
	evs = c.events(resp, 1)
	if !strings.Contains(evs[0].data, `"id":3`) || !strings.Contains(evs[0].data, `"text":"done"`) {
		t.Fatalf("after resuming from %s: %+v, want the wait call's result", prime.id, evs[0])
	}
}

// sseClient drives the endpoint with raw HTTP, as a 2025-11-25 client.
type sseClient struct {
	t       *testing.T
	ctx     context.Context
	url     string
	session string
}

func (c *sseClient) do(method, body string, headers ...string) *http.Response {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.ctx, method, c.url, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if c.session != "" {
		req.Header.Set("Mcp-Session-Id", c.session)
		req.Header.Set("Mcp-Protocol-Version", "2025-11-25")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	c.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (c *sseClient) post(body string) *http.Response { return c.do("POST", body) }

func (c *sseClient) get(lastEventID string) *http.Response {
	c.t.Helper()
	resp := c.do("GET", "", "Last-Event-ID", lastEventID)
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		c.t.Fatalf("GET with Last-Event-ID %s: %s %s", lastEventID, resp.Status, b)
	}
	return resp
}

type sseEvent struct{ name, id, data string }

// events reads n events from an SSE response.
func (c *sseClient) events(resp *http.Response, n int) []sseEvent {
	c.t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		c.t.Fatalf("%s, Content-Type %q, want an SSE stream: %s", resp.Status, ct, b)
	}
	br := bufio.NewReader(resp.Body)
	var out []sseEvent
	var ev sseEvent
	var data []string
	for len(out) < n {
		line, err := br.ReadString('\n')
		if err != nil {
			c.t.Fatalf("after %d events: %v", len(out), err)
		}
		line = strings.TrimRight(line, "\r\n")
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch {
		case line == "":
			ev.data = strings.Join(data, "\n")
			out = append(out, ev)
			ev, data = sseEvent{}, nil
		case field == "event":
			ev.name = value
		case field == "id":
			ev.id = value
		case field == "data":
			data = append(data, value)
		}
	}
	return out
}
