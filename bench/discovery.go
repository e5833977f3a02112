package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// discoveryTask is something a model wants done, the words it searches
// for, and the tools it then needs in full.
type discoveryTask struct {
	name  string
	query string
	need  []string // server.tool, each among the search's answers
}

var discoveryTasks = []discoveryTask{
	{"save a note to a file", "write file", []string{"filesystem.write_file"}},
	{"remember a fact", "create entities knowledge graph", []string{"memory.create_entities"}},
	{"add two numbers", "add numbers sum", []string{"everything.get-sum"}},
	{"read every file of a folder", "list directory read file", []string{"filesystem.list_directory", "filesystem.read_text_file"}},
}

// tokens approximates a text's tokens as its bytes / 4.
func tokens(b []byte) int { return (len(b) + 3) / 4 }

// benchDiscovery compares, for the reference servers (everything, memory,
// filesystem), the tokens of tools/list of every upstream tool (what a
// client that connects to each server puts in the model's context) with
// the search_tools answers a model needs for a task: one search with
// one-line descriptions, then the full schema of each tool it calls.
func benchDiscovery(bin, deno, tmp string) error {
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("discovery benchmark needs node: %w", err)
	}
	root := filepath.Join(tmp, "discovery-files")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return err
	}
	module := func(name string) (string, error) {
		p, _ := filepath.Abs(filepath.Join("node_modules", "@modelcontextprotocol", name, "dist", "index.js"))
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("discovery benchmark needs @modelcontextprotocol/%s (make deps): %w", name, err)
		}
		return p, nil
	}
	servers := map[string][]string{}
	for name, args := range map[string][]string{"everything": {"stdio"}, "memory": nil, "filesystem": {root}} {
		m, err := module("server-" + name)
		if err != nil {
			return err
		}
		servers[name] = append([]string{m}, args...)
	}

	// The baseline: every upstream tool's definition, as tools/list gives it.
	all := 0
	count := 0
	var perServer []string
	for _, name := range []string{"everything", "filesystem", "memory"} {
		cmd := exec.Command(node, servers[name]...)
		cmd.Env = append(os.Environ(), "MEMORY_FILE_PATH="+filepath.Join(root, "memory.jsonl"))
		c := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		s, err := c.Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, nil)
		if err != nil {
			cancel()
			return fmt.Errorf("connect to %s: %w", name, err)
		}
		res, err := s.ListTools(ctx, nil)
		s.Close()
		cancel()
		if err != nil {
			return fmt.Errorf("%s: tools/list: %w", name, err)
		}
		b, _ := json.Marshal(res)
		all += tokens(b)
		count += len(res.Tools)
		perServer = append(perServer, fmt.Sprintf("%s %d tools, %d tokens", name, len(res.Tools), tokens(b)))
	}

	home := filepath.Join(tmp, "home-discovery")
	cfg := map[string]any{}
	for name, args := range servers {
		e := map[string]any{"command": node, "args": args}
		if name == "memory" {
			e["env"] = map[string]string{"MEMORY_FILE_PATH": filepath.Join(root, "memory.jsonl")}
		}
		cfg[name] = e
	}
	b, _ := json.Marshal(map[string]any{"mcpServers": cfg})
	os.MkdirAll(home, 0o700)
	if err := os.WriteFile(filepath.Join(home, "mcp-config.json"), b, 0o600); err != nil {
		return err
	}
	s, _, err := connect(bin, deno, tmp, "0", "MCP_CONDUCTOR_HOME="+home)
	if err != nil {
		return err
	}
	defer s.Close()
	own, err := s.ListTools(context.Background(), nil)
	if err != nil {
		return err
	}
	ob, _ := json.Marshal(own)
	search := func(args map[string]any) ([]byte, []string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "search_tools", Arguments: args})
		if err != nil {
			return nil, nil, err
		}
		if res.IsError {
			return nil, nil, fmt.Errorf("search_tools %v: %v", args, res.Content)
		}
		text := res.Content[0].(*mcp.TextContent).Text
		var out struct {
			Tools []struct{ Server, Name string } `json:"tools"`
		}
		if err := json.Unmarshal([]byte(text), &out); err != nil {
			return nil, nil, err
		}
		var names []string
		for _, t := range out.Tools {
			names = append(names, t.Server+"."+t.Name)
		}
		return []byte(text), names, nil
	}

	fmt.Printf("tool discovery, reference servers (%s); tokens = bytes/4\n", strings.Join(perServer, "; "))
	fmt.Printf("baseline: tools/list of all %d upstream tools = %d tokens in context; the conductor's own tools/list (run_deno_code, search_tools, ...) = %d tokens\n", count, all, tokens(ob))
	fmt.Printf("%-28s %-34s %5s %7s %7s\n", "task", "first search_tools query", "calls", "tokens", "saved")
	sum := 0
	for _, task := range discoveryTasks {
		first, found, err := search(map[string]any{"query": task.query, "limit": 5})
		if err != nil {
			return err
		}
		used := tokens(first)
		calls := 1
		for _, need := range task.need {
			if !slices.Contains(found, need) {
				return fmt.Errorf("task %q: search_tools(%q) did not find %s among %v", task.name, task.query, need, found)
			}
			server, tool, _ := strings.Cut(need, ".")
			full, got, err := search(map[string]any{"query": tool, "server": server, "detail": "full", "limit": 1})
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0] != need {
				return fmt.Errorf("task %q: search_tools(%q, full) gave %v, not %s", task.name, tool, got, need)
			}
			used += tokens(full)
			calls++
		}
		sum += used
		fmt.Printf("%-28s %-34q %5d %7d %6.1f%%\n", task.name, task.query, calls, used, 100*(1-float64(used)/float64(all)))
	}
	avg := sum / len(discoveryTasks)
	fmt.Printf("average: %d tokens per task instead of %d (%.1fx less context, %.1f%% saved)\n", avg, all, float64(all)/float64(avg), 100*(1-float64(avg)/float64(all)))
	withOwn := avg + tokens(ob)
	fmt.Printf("counting the conductor's own tools/list too: %d tokens instead of %d (%.1fx less)\n", withOwn, all, float64(all)/float64(withOwn))
	return nil
}
