package protocol

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// The official conformance suite, every server scenario of it (--suite
// all), against `mcp-conductor --http`. The scenarios in
// conformance-baseline.yml call the suite's own sample tools and must fail
// or warn; every other one must pass without a warning.
func TestConformance(t *testing.T) {
	node := node22(t)
	suite := tool(t, "@modelcontextprotocol/conformance/dist/index.js")
	baselineFile := filepath.Join(dir(t), "conformance-baseline.yml")
	baseline := readBaseline(t, baselineFile)
	scenarios := listScenarios(t, node, suite)

	addr, token := startHTTP(t)
	proxy := tokenProxy(t, addr, token)
	out := t.TempDir()
	stdout, stderr, code := run(t, os.Environ(), node, suite, "server", "--url", "http://"+proxy+"/mcp",
		"--suite", "all", "--expected-failures", baselineFile, "-o", out)

	results := readResults(t, out)
	var passed, unexpected, stale []string
	for _, sc := range scenarios {
		checks, ok := results[sc]
		if !ok {
			unexpected = append(unexpected, sc+": did not run")
			continue
		}
		bad := badChecks(checks)
		switch {
		case len(bad) > 0 && !slices.Contains(baseline, sc):
			unexpected = append(unexpected, sc+":\n      "+strings.Join(bad, "\n      "))
		case len(bad) == 0 && slices.Contains(baseline, sc):
			stale = append(stale, sc)
		case len(bad) == 0:
			passed = append(passed, sc)
		}
	}
	for _, sc := range baseline {
		if !slices.Contains(scenarios, sc) {
			stale = append(stale, sc+" (the suite has no such scenario)")
		}
	}
	t.Logf("passed (%d): %s", len(passed), strings.Join(passed, ", "))
	t.Logf("not applicable, in the baseline (%d): %s", len(baseline), strings.Join(baseline, ", "))
	if len(unexpected) > 0 {
		t.Errorf("failures or warnings outside conformance-baseline.yml:\n  %s", strings.Join(unexpected, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("baseline entries that no longer fail; remove them from conformance-baseline.yml: %s", strings.Join(stale, ", "))
	}
	if code != 0 && !t.Failed() {
		t.Errorf("the suite exited %d although every result is as expected:\n%s\n%s", code, tail(stdout), stderr)
	}
	if t.Failed() {
		t.Logf("the suite's report (exit %d):\n%s\n%s", code, tail(stdout), stderr)
	}
}

// startHTTP runs `mcp-conductor --http` on a free loopback port with a
// fresh home and returns its address and token once it listens.
func startHTTP(t *testing.T) (addr, token string) {
	t.Helper()
	env, chome := home(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	ln.Close()
	cmd := exec.Command(testenv.Binary(t), "--http", addr)
	cmd.Env = env
	cmd.Stderr = testenv.NewOutput(t, "")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(chome, "http-token"))
		if err != nil {
			continue
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, strings.TrimSpace(string(b))
		}
	}
	t.Fatal("mcp-conductor --http did not start listening")
	return "", ""
}

// tokenProxy forwards requests to the endpoint at addr with the bearer
// token added, and everything else as the suite sent it (the Host header
// too: dns-rebinding-protection sends a foreign one). It returns its
// address.
func tokenProxy(t *testing.T, addr, token string) string {
	t.Helper()
	target := &url.URL{Scheme: "http", Host: addr}
	p := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
			r.Out.Header.Set("Authorization", "Bearer "+token)
		},
		FlushInterval: -1, // SSE: every event as it comes
		ErrorLog:      log.New(testenv.NewOutput(t, ""), "token proxy: ", 0),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: time.Minute}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// listScenarios returns the names of the suite's server scenarios.
func listScenarios(t *testing.T, node, suite string) []string {
	t.Helper()
	stdout, stderr, code := run(t, os.Environ(), node, suite, "list", "--server")
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s+- (\S+) \[`).FindAllStringSubmatch(stdout, -1) {
		names = append(names, m[1])
	}
	if code != 0 || len(names) == 0 {
		t.Fatalf("conformance list --server: exit %d, no scenarios:\n%s\n%s", code, stdout, stderr)
	}
	return names
}

// readBaseline reads the scenario names of the baseline's server list.
func readBaseline(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^  - (\S+)\s*$`).FindAllStringSubmatch(string(b), -1) {
		names = append(names, m[1])
	}
	return names
}

type check struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ErrorMessage string `json:"errorMessage"`
}

// readResults reads the checks of each scenario the suite ran: it writes
// them to <out>/server-<scenario>-<time>/checks.json.
func readResults(t *testing.T, out string) map[string][]check {
	t.Helper()
	stamp := regexp.MustCompile(`^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$`)
	entries, _ := os.ReadDir(out)
	results := map[string][]check{}
	for _, e := range entries {
		m := stamp.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(out, e.Name(), "checks.json"))
		if err != nil {
			t.Errorf("%s: %v", m[1], err)
			continue
		}
		var checks []check
		if err := json.Unmarshal(b, &checks); err != nil {
			t.Errorf("%s: checks.json: %v", m[1], err)
		}
		results[m[1]] = checks
	}
	return results
}

// badChecks describes a scenario's failed and warning checks.
func badChecks(checks []check) []string {
	var bad []string
	for _, c := range checks {
		if c.Status == "FAILURE" || c.Status == "WARNING" {
			bad = append(bad, fmt.Sprintf("%s %s: %s", c.Status, c.ID, c.ErrorMessage))
		}
	}
	return bad
}

func tail(s string) string {
	if i := strings.Index(s, "=== SUMMARY ==="); i >= 0 {
		return s[i:]
	}
	return s
}
