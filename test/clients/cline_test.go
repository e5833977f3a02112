package clientcli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeModel is an OpenAI-compatible chat endpoint on loopback that answers
// every request with "done" and records the names of the tools the client
// offered. The Cline CLI has no `mcp list`: the tools it offers the model
// are how it shows which MCP servers it started and listed.
type fakeModel struct {
	mu    sync.Mutex
	tools [][]string // per request
}

func (m *fakeModel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"object":"list","data":[{"id":"test-model","object":"model"}]}`)
		return
	}
	var req struct {
		Stream bool `json:"stream"`
		Tools  []struct {
			Function struct{ Name string } `json:"function"`
		} `json:"tools"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	var names []string
	for _, tl := range req.Tools {
		names = append(names, tl.Function.Name)
	}
	m.mu.Lock()
	m.tools = append(m.tools, names)
	m.mu.Unlock()
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x","object":"chat.completion","created":0,"model":"test-model","choices":[{"index":0,"message":{"role":"assistant","content":"done"},"finish_reason":"stop"}]}`)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	for _, c := range []string{
		`{"id":"x","object":"chat.completion.chunk","created":0,"model":"test-model","choices":[{"index":0,"delta":{"role":"assistant","content":"done"},"finish_reason":null}]}`,
		`{"id":"x","object":"chat.completion.chunk","created":0,"model":"test-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`,
	} {
		fmt.Fprintf(w, "data: %s\n\n", c)
	}
	io.WriteString(w, "data: [DONE]\n\n")
}

// lastTools returns the tools of the latest request.
func (m *fakeModel) lastTools(t *testing.T) []string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.tools) == 0 {
		t.Fatal("cline sent the model no request")
	}
	return m.tools[len(m.tools)-1]
}

// TestCline registers with the Cline CLI in a fresh home where only the
// cline program (on PATH) shows it is installed: register picks the CLI's
// own ~/.cline/data/settings file, not the VS Code extension's. A run of
// `cline` against a loopback stand-in for the model shows whether Cline
// started the server: its tools are offered. When the entry is switched off
// ("disabled": true, as Cline's settings screen writes it), `clients` says
// disabled, Cline offers no tools from it, and register turns it back on.
func TestCline(t *testing.T) {
	cline := cli(t, "cline")
	h := newHome(t)
	h.run(false, cline, "--version")
	// The cline program on PATH is what shows the CLI is installed.
	h.conductor("register", "cline")
	settings := ".cline/data/settings/cline_mcp_settings.json"
	mustContain(t, h.read(settings), `"mcp-conductor"`, `"--stdio"`)

	model := &fakeModel{}
	srv := httptest.NewServer(model)
	defer srv.Close()
	h.run(false, cline, "auth", "-p", "openai-compatible", "-k", "test-key", "-m", "test-model", "-b", srv.URL+"/v1")
	ask := func() []string {
		h.run(false, cline, "--json", "say done")
		return model.lastTools(t)
	}
	if tools := ask(); !slices.Contains(tools, "mcp-conductor__run_deno_code") {
		t.Fatalf("cline offered no mcp-conductor tools: %v", tools)
	}
	if got := h.state(h.work, "cline (cli)"); got != "registered" {
		t.Fatalf("clients says %q", got)
	}

	h.write(settings, strings.Replace(h.read(settings), `"args"`, `"disabled": true, "args"`, 1))
	if got := h.state(h.work, "cline (cli)"); !strings.HasPrefix(got, "disabled") {
		t.Fatalf("switched off: clients says %q", got)
	}
	if tools := ask(); slices.ContainsFunc(tools, func(s string) bool { return strings.HasPrefix(s, "mcp-conductor__") }) {
		t.Fatalf("cline still offers the disabled server's tools: %v", tools)
	}
	out := h.conductor("register", "cline")
	mustContain(t, out, "it is on again")
	if tools := ask(); !slices.Contains(tools, "mcp-conductor__run_deno_code") {
		t.Fatalf("after register, cline offered no mcp-conductor tools: %v", tools)
	}
}
