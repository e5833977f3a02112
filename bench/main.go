// Command bench measures the conductor end to end, the way an MCP client
// sees it, beside a bare `deno run` of the same code measured in the same run.
//
//	go run ./bench [-n 200] [-concurrency 8] [-deno PATH]
//
// It prints latency percentiles for run_deno_code of `1+1` over stdio (warm
// pool and cold start), executions per second with concurrent callers, and
// the conductor's resident memory.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func main() {
	n := flag.Int("n", 200, "sequential executions per measurement")
	conc := flag.Int("concurrency", 8, "concurrent callers for the throughput measurement")
	deno := flag.String("deno", os.Getenv("MCP_CONDUCTOR_DENO"), "deno binary (default: $MCP_CONDUCTOR_DENO or node_modules)")
	flag.Parse()
	if *deno == "" {
		*deno = filepath.Join("node_modules", "@deno", "linux-x64-glibc", "deno")
	}
	if err := run(*n, *conc, *deno); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n, conc int, deno string) error {
	deno, _ = filepath.Abs(deno)
	tmp, err := os.MkdirTemp("", "conductor-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "mcp-conductor")
	fmt.Fprintln(os.Stderr, "building mcp-conductor…")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	fmt.Printf("machine: %d CPUs; deno %s\n\n", numCPU(), denoVersion(deno))

	script := filepath.Join(tmp, "one.js")
	os.WriteFile(script, []byte("console.log(1+1)\n"), 0o644)
	base := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t := time.Now()
		if err := exec.Command(deno, "run", "--no-prompt", script).Run(); err != nil {
			return fmt.Errorf("bare deno run: %w", err)
		}
		base = append(base, time.Since(t))
	}
	baseTput := throughput(conc, n*2, func() error { return exec.Command(deno, "run", "--no-prompt", script).Run() })

	type row struct {
		name       string
		lat        []time.Duration
		tput       float64
		rssKB      int
		childRSSKB int
	}
	var rows []row
	for _, mode := range []struct {
		name string
		pool string
	}{{"conductor, warm pool (default)", "2"}, {"conductor, cold start (pool 0)", "0"}} {
		s, cmd, err := connect(bin, deno, tmp, mode.pool)
		if err != nil {
			return err
		}
		call := func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": "1+1"}})
			if err != nil {
				return err
			}
			if res.IsError {
				return fmt.Errorf("run failed: %v", res.Content)
			}
			return nil
		}
		for i := 0; i < 10; i++ { // warm-up
			if err := call(); err != nil {
				return err
			}
		}
		var lat []time.Duration
		for i := 0; i < n; i++ {
			t := time.Now()
			if err := call(); err != nil {
				return err
			}
			lat = append(lat, time.Since(t))
		}
		tput := throughput(conc, n*2, call)
		time.Sleep(500 * time.Millisecond) // let the pool refill before measuring idle memory
		rss := rssKB(cmd.Process.Pid)
		children := childrenRSSKB(cmd.Process.Pid)
		s.Close()
		rows = append(rows, row{mode.name, lat, tput, rss, children})
	}

	fmt.Printf("%-34s %9s %9s %12s %s\n", "1+1, end to end", "p50", "p95", "exec/s (x"+strconv.Itoa(conc)+")", "idle RSS")
	fmt.Printf("%-34s %9s %9s %12.1f %s\n", "bare `deno run` (baseline)", ms(pct(base, 50)), ms(pct(base, 95)), baseTput, "-")
	for _, r := range rows {
		fmt.Printf("%-34s %9s %9s %12.1f server %d MB + pool %d MB\n", r.name, ms(pct(r.lat, 50)), ms(pct(r.lat, 95)), r.tput, r.rssKB/1024, r.childRSSKB/1024)
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("%s: p50 %.2fx the bare deno run baseline; %.1fx its throughput\n", r.name,
			float64(pct(r.lat, 50))/float64(pct(base, 50)), r.tput/baseTput)
	}
	fmt.Println()
	return benchProxy(bin, deno, tmp, n)
}

// benchProxy compares an echo call to @modelcontextprotocol/server-everything
// made directly by a go-sdk client with the same call made from sandboxed
// code through mcpFactory.
func benchProxy(bin, deno, tmp string, n int) error {
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("proxy benchmark needs node: %w", err)
	}
	everything, _ := filepath.Abs(filepath.Join("node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js"))
	if _, err := os.Stat(everything); err != nil {
		return fmt.Errorf("proxy benchmark needs @modelcontextprotocol/server-everything (make deps): %w", err)
	}
	direct := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil)
	ds, err := direct.Connect(context.Background(), &mcp.CommandTransport{Command: exec.Command(node, everything, "stdio"), TerminateDuration: time.Second}, nil)
	if err != nil {
		return fmt.Errorf("connect to server-everything: %w", err)
	}
	var directLat []time.Duration
	for i := 0; i < n+10; i++ {
		t := time.Now()
		if _, err := ds.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"message": "x"}}); err != nil {
			return err
		}
		if i >= 10 {
			directLat = append(directLat, time.Since(t))
		}
	}
	ds.Close()

	home := filepath.Join(tmp, "home-proxy")
	cfg := fmt.Sprintf(`{"mcpServers": {"everything": {"command": %q, "args": [%q, "stdio"]}}}`, node, everything)
	os.MkdirAll(home, 0o700)
	os.WriteFile(filepath.Join(home, "mcp-config.json"), []byte(cfg), 0o600)
	s, _, err := connect(bin, deno, tmp, "2", "MCP_CONDUCTOR_HOME="+home)
	if err != nil {
		return err
	}
	defer s.Close()
	code := fmt.Sprintf(`const ev = await mcpFactory.load("everything");
for (let i = 0; i < 10; i++) await ev.echo({ message: "x" });
const lat = [];
for (let i = 0; i < %d; i++) { const t = performance.now(); await ev.echo({ message: "x" }); lat.push(performance.now() - t); }
lat`, n)
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": code, "timeout": 120000}})
	if err != nil {
		return err
	}
	var out struct {
		ReturnValue []float64 `json:"returnValue"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil || len(out.ReturnValue) != n {
		return fmt.Errorf("proxied calls failed: %s", b)
	}
	var proxied []time.Duration
	for _, v := range out.ReturnValue {
		proxied = append(proxied, time.Duration(v*float64(time.Millisecond)))
	}
	fmt.Printf("%-34s %9s %9s\n", "echo on server-everything (stdio)", "p50", "p95")
	fmt.Printf("%-34s %9s %9s\n", "direct go-sdk client", ms(pct(directLat, 50)), ms(pct(directLat, 95)))
	fmt.Printf("%-34s %9s %9s\n", "from sandboxed code (mcpFactory)", ms(pct(proxied, 50)), ms(pct(proxied, 95)))
	fmt.Printf("added by the proxy: p50 %s, p95 %s\n", ms(pct(proxied, 50)-pct(directLat, 50)), ms(pct(proxied, 95)-pct(directLat, 95)))
	return nil
}

func connect(bin, deno, tmp, pool string, extraEnv ...string) (*mcp.ClientSession, *exec.Cmd, error) {
	home := filepath.Join(tmp, "home-pool"+pool)
	cmd := exec.Command(bin, "--stdio")
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "MCP_CONDUCTOR_HOME=" + home, "MCP_CONDUCTOR_DENO=" + deno,
		"MCP_CONDUCTOR_POOL_SIZE=" + pool, "MCP_CONDUCTOR_MAX_CONCURRENCY=8"}
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stderr = os.Stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil)
	s, err := client.Connect(context.Background(), &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("connect: %w", err)
	}
	return s, cmd, nil
}

func throughput(workers, total int, f func() error) float64 {
	var wg sync.WaitGroup
	jobs := make(chan struct{}, total)
	for i := 0; i < total; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if err := f(); err != nil {
					fmt.Fprintln(os.Stderr, "bench: call failed:", err)
				}
			}
		}()
	}
	wg.Wait()
	return float64(total) / time.Since(start).Seconds()
}

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func rssKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// childrenRSSKB sums the resident memory of the server's child processes
// (the pre-started sandboxes).
func childrenRSSKB(pid int) int {
	entries, _ := os.ReadDir("/proc")
	total := 0
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", child))
		if err != nil {
			continue
		}
		// Fields after the command name (which may contain spaces).
		rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
		f := strings.Fields(rest)
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			total += rssKB(child)
		}
	}
	return total
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

func denoVersion(deno string) string {
	out, _ := exec.Command(deno, "--version").Output()
	return strings.Fields(string(out) + " ? ?")[1]
}
