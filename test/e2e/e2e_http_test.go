package e2e

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startHTTP runs `mcp-conductor --http` on a free loopback port with a
// fresh home, and returns its address and token once it listens.
func startHTTP(t *testing.T) (addr, token string) {
	addr, token, _ = startHTTPHome(t)
	return addr, token
}

// startHTTPHome is startHTTP, also returning the conductor's home.
func startHTTPHome(t *testing.T) (addr, token, chome string) {
	t.Helper()
	home := t.TempDir()
	chome = filepath.Join(home, ".mcp-conductor")
	addr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	cmd := exec.Command(testenv.Binary(t), "--http", addr)
	cmd.Env = osEnv([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "MCP_CONDUCTOR_HOME=" + chome, "MCP_CONDUCTOR_DENO=" + testenv.Deno(t)})
	cmd.Stderr = testenv.NewOutput(t, "server: ")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Windows cannot send os.Interrupt to another process: kill it there.
	t.Cleanup(func() {
		if cmd.Process.Signal(os.Interrupt) != nil {
			cmd.Process.Kill()
		}
		cmd.Wait()
	})
	deadline := time.Now().Add(20 * time.Second)
	for token == "" && time.Now().Before(deadline) {
		if b, err := os.ReadFile(filepath.Join(chome, "http-token")); err == nil {
			if c, err := net.Dial("tcp", addr); err == nil {
				c.Close()
				token = strings.TrimSpace(string(b))
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if token == "" {
		t.Fatal("the endpoint did not start")
	}
	return addr, token, chome
}

// TestHTTPTokenIsPrivate: the token the endpoint made, and the home it is
// in, are owner-only as the system reports it (on Windows an access list).
func TestHTTPTokenIsPrivate(t *testing.T) {
	_, _, chome := startHTTPHome(t)
	for _, p := range []string{chome, filepath.Join(chome, "http-token")} {
		if ok, err := fsx.IsPrivate(p); err != nil || !ok {
			t.Errorf("%s: private %v, %v", p, ok, err)
		}
	}
}

func TestHTTPEndpoint(t *testing.T) {
	addr, token := startHTTP(t)
	url := "http://" + addr + "/mcp"

	client := mcp.NewClient(&mcp.Implementation{Name: "http-e2e", Version: "1"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: bearer{token, http.DefaultTransport}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": "6 * 7"}})
	if err != nil || res.IsError {
		t.Fatalf("call over HTTP: %v %+v", err, res)
	}
	if !strings.Contains(res.Content[0].(*mcp.TextContent).Text, `"returnValue":42`) {
		t.Errorf("result: %v", res.Content[0])
	}

	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`
	for _, tt := range []struct {
		name   string
		header map[string]string
		host   string
		body   string // "": body
		want   int
	}{
		{"no token", nil, "", "", 401},
		{"wrong token", map[string]string{"Authorization": "Bearer " + strings.Repeat("0", 64)}, "", "", 401},
		{"foreign origin", map[string]string{"Authorization": "Bearer " + token, "Origin": "https://evil.example"}, "", "", 403},
		{"rebinding host", map[string]string{"Authorization": "Bearer " + token}, "evil.example:80", "", 403},
		{"body over 4 MiB", map[string]string{"Authorization": "Bearer " + token}, "", strings.Repeat(" ", 4<<20+1), 413},
		{"loopback origin", map[string]string{"Authorization": "Bearer " + token, "Origin": "http://localhost:3000"}, "", "", 200},
	} {
		b := body
		if tt.body != "" {
			b = tt.body
		}
		req, _ := http.NewRequest("POST", url, strings.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// A refused request's connection is closed, so it holds no slot.
		if resp.StatusCode != tt.want || resp.Close != (tt.want != 200) {
			t.Errorf("%s: status %d (Connection: close %v), want %d", tt.name, resp.StatusCode, resp.Close, tt.want)
		}
	}

	out, err := exec.Command(testenv.Binary(t), "--http", "0.0.0.0:0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not loopback") {
		t.Errorf("non-loopback address accepted: %v %s", err, out)
	}
}
