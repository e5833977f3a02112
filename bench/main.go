// Command bench measures the conductor end to end, the way an MCP client
// sees it, beside a bare `deno run` of the same code measured in the same run.
//
//	go run ./bench [-n 200] [-pyn 30] [-concurrency 8] [-deno PATH] [-pyodide DIR] [-only discovery|python|skills]
//
// It prints latency percentiles for run_deno_code of `1+1` over stdio (warm
// pool and cold start), executions per second with concurrent callers, the
// conductor's resident memory, the proxy's added latency, and the server's
// peak memory under a flood of calls from sandboxed code, the context a
// model saves by finding tools with search_tools instead of loading every
// upstream tool's schema, and run_python_code through its pool, from an
// empty pool and on a new home, beside a cold `deno run` loading Pyodide,
// and what saving a skill costs (save_skill beside `deno doc`, and the run
// after a save).
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
	pyN := flag.Int("pyn", 30, "sequential executions per Python measurement")
	pyodide := flag.String("pyodide", "node_modules/pyodide", "the Pyodide runtime's folder (the pyodide npm package)")
	conc := flag.Int("concurrency", 8, "concurrent callers for the throughput measurement")
	deno := flag.String("deno", os.Getenv("MCP_CONDUCTOR_DENO"), "deno binary (default: $MCP_CONDUCTOR_DENO or node_modules)")
	only := flag.String("only", "", "run only this part: discovery (the context search_tools saves), python or skills")
	flag.Parse()
	if *deno == "" {
		*deno = filepath.Join("node_modules", "@deno", "linux-x64-glibc", "deno")
	}
	if err := run(*n, *conc, *deno, *only, *pyN, *pyodide); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// gap separates paced calls: an agent's calls come seconds apart, so a pool
// has refilled before the next one; back-to-back calls measure the worst case.
const gap = 50 * time.Millisecond

// series measures f n times back to back and n times paced.
func series(n int, f func() error) (paced, b2b []time.Duration, err error) {
	for i := 0; i < n; i++ {
		time.Sleep(gap)
		t := time.Now()
		if err := f(); err != nil {
			return nil, nil, err
		}
		paced = append(paced, time.Since(t))
	}
	time.Sleep(gap)
	for i := 0; i < n; i++ {
		t := time.Now()
		if err := f(); err != nil {
			return nil, nil, err
		}
		b2b = append(b2b, time.Since(t))
	}
	return paced, b2b, nil
}

type row struct {
	name          string
	paced, b2b    []time.Duration
	tput          float64
	rssKB, poolKB int
	// CPU milliseconds per execution during the throughput run.
	serverCPU, sandboxCPU float64
}

func run(n, conc int, deno, only string, pyN int, pyodide string) error {
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
	switch only {
	case "":
	case "discovery":
		return benchDiscovery(bin, deno, tmp)
	case "python":
		return benchPython(bin, deno, tmp, pyodide, pyN)
	case "skills":
		return benchSkills(bin, deno, tmp)
	default:
		return fmt.Errorf("-only %q: the parts that run alone are discovery, python and skills", only)
	}
	fmt.Printf("machine: %d CPUs; deno %s; %d calls per series; paced = %v between calls\n\n", numCPU(), denoVersion(deno), n, gap)

	script := filepath.Join(tmp, "one.js")
	os.WriteFile(script, []byte("console.log(1+1)\n"), 0o644)
	bare := func() error { return exec.Command(deno, "run", "--no-prompt", script).Run() }
	fmt.Fprintln(os.Stderr, "measuring bare deno run…")
	bp, bb, err := series(n, bare)
	if err != nil {
		return fmt.Errorf("bare deno run: %w", err)
	}
	rows := []row{{name: "bare `deno run` (baseline)", paced: bp, b2b: bb, tput: throughput(conc, n*2, bare)}}

	for _, mode := range []struct{ name, pool string }{
		{"conductor, pool of 2 (default)", "2"},
		{"conductor, cold start (pool 0)", "0"},
	} {
		fmt.Fprintf(os.Stderr, "measuring %s…\n", mode.name)
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
		paced, b2b, err := series(n, call)
		if err != nil {
			return err
		}
		u0, c0 := cpuTimes(cmd.Process.Pid)
		tput := throughput(conc, n*2, call)
		u1, c1 := cpuTimes(cmd.Process.Pid)
		time.Sleep(time.Second) // let the pool refill before measuring idle memory
		r := row{name: mode.name, paced: paced, b2b: b2b, tput: tput, rssKB: rssKB(cmd.Process.Pid), poolKB: childrenRSSKB(cmd.Process.Pid),
			serverCPU: float64(u1-u0) * 10 / float64(n*2), sandboxCPU: float64(c1-c0) * 10 / float64(n*2)}
		s.Close()
		rows = append(rows, r)
	}

	fmt.Printf("%-32s %21s %21s %12s  %s\n", "run_deno_code `1+1` over stdio", "paced p50 / p95", "back-to-back p50/p95", "exec/s (x"+strconv.Itoa(conc)+")", "idle RSS")
	for _, r := range rows {
		mem := "-"
		if r.rssKB > 0 {
			mem = fmt.Sprintf("server %d MB + pool %d MB", r.rssKB/1024, r.poolKB/1024)
		}
		fmt.Printf("%-32s %10s / %8s %10s / %8s %12.1f  %s\n", r.name, ms(pct(r.paced, 50)), ms(pct(r.paced, 95)),
			ms(pct(r.b2b, 50)), ms(pct(r.b2b, 95)), r.tput, mem)
	}
	fmt.Println()
	base := rows[0]
	for _, r := range rows[1:] {
		fmt.Printf("%s: paced p50 %.2fx the baseline's (%.1fx faster); back-to-back p50 %.2fx; throughput %.2fx\n", r.name,
			ratio(pct(r.paced, 50), pct(base.paced, 50)), ratio(pct(base.paced, 50), pct(r.paced, 50)),
			ratio(pct(r.b2b, 50), pct(base.b2b, 50)), r.tput/base.tput)
	}
	fmt.Printf("pool vs cold start: paced p50 %.1fx faster; throughput %.2fx\n",
		ratio(pct(rows[2].paced, 50), pct(rows[1].paced, 50)), rows[1].tput/rows[2].tput)
	for _, r := range rows[1:] {
		fmt.Printf("%s: CPU per execution: server %.1f ms, sandbox processes (deno) %.1f ms\n", r.name, r.serverCPU, r.sandboxCPU)
	}
	fmt.Println()
	if err := benchProxy(bin, deno, tmp, n); err != nil {
		return err
	}
	fmt.Println()
	if err := benchDiscovery(bin, deno, tmp); err != nil {
		return err
	}
	fmt.Println()
	if err := benchFlood(bin, deno, tmp); err != nil {
		return err
	}
	fmt.Println()
	if err := benchSkills(bin, deno, tmp); err != nil {
		return err
	}
	fmt.Println()
	return benchPython(bin, deno, tmp, pyodide, pyN)
}

// benchFlood measures the server's peak memory while sandboxed code floods
// the channel: 100 000 mcpFactory calls whose replies it never reads, and
// 100 calls with 60 KB names. The baseline is the same server's peak before.
func benchFlood(bin, deno, tmp string) error {
	s, cmd, err := connect(bin, deno, tmp, "2", "MCP_CONDUCTOR_HOME="+filepath.Join(tmp, "home-flood"))
	if err != nil {
		return err
	}
	defer s.Close()
	run := func(code string) (int, error) {
		res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "run_deno_code", Arguments: map[string]any{"deno_code": code, "timeout": 120000}})
		if err != nil {
			return 0, err
		}
		b, _ := json.Marshal(res.StructuredContent)
		if res.IsError {
			return 0, fmt.Errorf("flood run failed: %s", b)
		}
		return len(b), nil
	}
	if _, err := run("1"); err != nil {
		return err
	}
	before := peakKB(cmd.Process.Pid)
	start := time.Now()
	size, err := run(`for (let i = 0; i < 100000; i++) mcpFactory.listServers(); "sent"`)
	if err != nil {
		return err
	}
	took := time.Since(start)
	after := peakKB(cmd.Process.Pid)
	names, err := run(`await Promise.allSettled(Array.from({ length: 100 }, () => mcpFactory.load("x".repeat(60000)))); 1`)
	if err != nil {
		return err
	}
	fmt.Printf("flood of 100000 unread mcpFactory calls: server peak RSS %d MB (%d MB before, same run), %v, result %d bytes\n",
		after/1024, before/1024, took.Round(time.Millisecond), size)
	fmt.Printf("100 calls with 60 KB names: result %d bytes; server peak RSS %d MB\n", names, peakKB(cmd.Process.Pid)/1024)
	return nil
}

// peakKB is a process's peak resident memory (VmHWM), in KiB.
func peakKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "VmHWM:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

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

// pyGap separates paced Python calls: a booted interpreter takes a few
// hundred milliseconds of CPU to replace, and an agent's calls come seconds
// apart.
const pyGap = time.Second

// benchPython measures run_python_code of `sum(range(10))`: through the pool
// of booted interpreters (paced), with an empty pool (every call boots an
// interpreter from the memory snapshot), and the first call on a new home
// (which makes the snapshot), beside a cold `deno run` that loads Pyodide
// from the npm package and runs the same code, measured in the same run.
func benchPython(bin, deno, tmp, pyodide string, n int) error {
	pyodide, _ = filepath.Abs(pyodide)
	if _, err := os.Stat(filepath.Join(pyodide, "pyodide.mjs")); err != nil {
		return fmt.Errorf("the Python benchmark needs the pyodide npm package (make deps): %w", err)
	}
	script := filepath.Join(tmp, "py.mjs")
	os.WriteFile(script, []byte(fmt.Sprintf(`const { loadPyodide } = await import(%q);
const py = await loadPyodide({ indexURL: %q });
console.log(py.runPython("sum(range(10))"));
`, "file://"+pyodide+"/pyodide.mjs", pyodide+"/")), 0o644)
	fmt.Fprintln(os.Stderr, "measuring a cold deno run of Pyodide…")
	var bare []time.Duration
	bareKB := 0
	for i := 0; i < 5; i++ {
		cmd := exec.Command(deno, "run", "--no-prompt", "--allow-read="+pyodide, script)
		t := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "45" {
			return fmt.Errorf("cold deno run of Pyodide: %v: %s", err, out)
		}
		bare = append(bare, time.Since(t))
		bareKB = max(bareKB, maxRSSKB(cmd.ProcessState))
	}

	call := func(s *mcp.ClientSession) error {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "run_python_code", Arguments: map[string]any{"python_code": "sum(range(10))"}})
		if err != nil {
			return err
		}
		b, _ := json.Marshal(res.StructuredContent)
		if res.IsError || !strings.Contains(string(b), `"returnValue":45`) {
			return fmt.Errorf("run_python_code failed: %s", b)
		}
		return nil
	}
	paced := func(s *mcp.ClientSession, count int) ([]time.Duration, error) {
		var d []time.Duration
		for i := 0; i < count; i++ {
			time.Sleep(pyGap)
			t := time.Now()
			if err := call(s); err != nil {
				return nil, err
			}
			d = append(d, time.Since(t))
		}
		return d, nil
	}

	// The first call on a new home makes the memory snapshot.
	fmt.Fprintln(os.Stderr, "measuring run_python_code with an empty pool…")
	home := filepath.Join(tmp, "home-python-cold")
	s, _, err := connect(bin, deno, tmp, "0", "MCP_CONDUCTOR_HOME="+home, "MCP_CONDUCTOR_PYODIDE="+pyodide, "MCP_CONDUCTOR_PYTHON_POOL_SIZE=0")
	if err != nil {
		return err
	}
	t := time.Now()
	if err := call(s); err != nil {
		return err
	}
	first := time.Since(t)
	snapshots, _ := filepath.Glob(filepath.Join(home, "cache", "python", "snapshot-*.bin"))
	snapKB := 0
	if len(snapshots) == 1 {
		if st, err := os.Stat(snapshots[0]); err == nil {
			snapKB = int(st.Size() / 1024)
		}
	}
	cold, err := paced(s, max(n/3, 5))
	s.Close()
	if err != nil {
		return err
	}

	fmt.Fprintln(os.Stderr, "measuring run_python_code through the pool…")
	// No JavaScript pool: the memory shown is the server's and the Python pool's.
	s, cmd, err := connect(bin, deno, tmp, "0", "MCP_CONDUCTOR_HOME="+home, "MCP_CONDUCTOR_PYODIDE="+pyodide)
	if err != nil {
		return err
	}
	defer s.Close()
	for i := 0; i < 3; i++ { // the first call starts the Python pool
		if err := call(s); err != nil {
			return err
		}
	}
	time.Sleep(2 * pyGap) // the pool has refilled
	idleBefore := childrenRSSKB(cmd.Process.Pid)
	pool, err := paced(s, n)
	if err != nil {
		return err
	}
	time.Sleep(2 * pyGap) // the pool has refilled
	idle := childrenRSSKB(cmd.Process.Pid)

	fmt.Printf("%-46s %21s  %s\n", "run_python_code `sum(range(10))` over stdio", "p50 / p95", "memory")
	fmt.Printf("%-46s %10s / %8s  peak %d MB per process\n", "cold `deno run` loading Pyodide (baseline)", ms(pct(bare, 50)), ms(pct(bare, 95)), bareKB/1024)
	fmt.Printf("%-46s %10s / %8s  idle: server %d MB + Python pool %d MB (%d MB before the paced calls)\n", fmt.Sprintf("conductor, pool of 1 (default), paced %v", pyGap), ms(pct(pool, 50)), ms(pct(pool, 95)), rssKB(cmd.Process.Pid)/1024, idle/1024, idleBefore/1024)
	fmt.Printf("%-46s %10s / %8s  -\n", "conductor, empty pool (boots from the snapshot)", ms(pct(cold, 50)), ms(pct(cold, 95)))
	fmt.Printf("%-46s %10s           snapshot %d MB\n", "first call on a new home (makes the snapshot)", ms(first), snapKB/1024)
	fmt.Printf("pool: paced p50 %.0fx faster than the cold baseline; goal p50 <= 50 ms: %s\n", ratio(pct(bare, 50), pct(pool, 50)), verdict(pct(pool, 50), 50*time.Millisecond))
	fmt.Printf("empty pool: p50 %.1fx faster than the cold baseline; goal <= 1.5 s: %s\n", ratio(pct(bare, 50), pct(cold, 50)), verdict(pct(cold, 50), 1500*time.Millisecond))
	return nil
}

// verdict says whether d meets goal, and by how much it misses.
func verdict(d, goal time.Duration) string {
	if d <= goal {
		return "met"
	}
	return fmt.Sprintf("missed by %s (%.1fx)", ms(d-goal), ratio(d, goal))
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

// cpuTimes returns a process's own CPU time and its reaped children's, in
// clock ticks (1/100 s).
func cpuTimes(pid int) (self, children int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	return atoi(f[11]) + atoi(f[12]), atoi(f[13]) + atoi(f[14])
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

func denoVersion(deno string) string {
	out, _ := exec.Command(deno, "--version").Output()
	return strings.Fields(string(out) + " ? ?")[1]
}
