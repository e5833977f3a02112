package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

type searchOut struct {
	Tools []struct {
		Server, Name, Description, TypeScript string
		InputSchema                           map[string]any `json:"inputSchema"`
	} `json:"tools"`
	Unavailable []struct{ Server, Error string } `json:"unavailable"`
}

// search_tools finds tools across the reference servers by words, at the
// detail asked for, and code finds the same through mcpFactory.search.
func TestSearchToolsAcrossServers(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	fsRoot := filepath.Join(home, "shared")
	writeFile(t, filepath.Join(fsRoot, "notes.txt"), "hi")
	writeMCPConfig(t, filepath.Join(chome, "mcp-config.json"), upstreams(t, fsRoot))
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome, "UP_SECRET=s3cr3t-value")

	first := func(query string, args map[string]any) searchOut {
		t.Helper()
		var out searchOut
		a := map[string]any{"query": query}
		for k, v := range args {
			a[k] = v
		}
		if res := c.callJSON("search_tools", a, &out); res.IsError {
			t.Fatalf("search_tools %v: %+v", a, res.Content)
		}
		if len(out.Unavailable) != 0 {
			t.Errorf("unavailable: %+v", out.Unavailable)
		}
		return out
	}
	for query, want := range map[string]string{
		"write file":                "filesystem.write_file",
		"create entities knowledge": "memory.create_entities",
		"echo message":              "everything.echo",
		"add two numbers sum":       "everything.get-sum",
	} {
		out := first(query, nil)
		if len(out.Tools) == 0 || out.Tools[0].Server+"."+out.Tools[0].Name != want || out.Tools[0].Description == "" || out.Tools[0].InputSchema != nil {
			t.Errorf("%q: %+v, want %s first", query, out.Tools, want)
		}
	}
	// Denied tools stay hidden.
	for _, tm := range first("environment variables env", map[string]any{"limit": 50}).Tools {
		if tm.Name == "get-env" {
			t.Errorf("the denied get-env was found")
		}
	}
	out := first("write file", map[string]any{"server": "filesystem", "detail": "full", "limit": 1})
	if len(out.Tools) != 1 || !strings.Contains(out.Tools[0].TypeScript, "write_file(") || out.Tools[0].InputSchema["properties"] == nil {
		t.Errorf("full: %+v", out.Tools)
	}
	out = first("read", map[string]any{"detail": "names", "limit": 3})
	if len(out.Tools) != 3 || out.Tools[0].Description != "" {
		t.Errorf("names: %+v", out.Tools)
	}
	res := c.callJSON("search_tools", map[string]any{"query": "x", "detail": "everything"}, nil)
	if !res.IsError {
		t.Errorf("a bad detail was accepted")
	}

	// From code: the same answer, then a call to what it found.
	r := c.run(`const found = await mcpFactory.search("write file", { server: "filesystem", limit: 1 });
const names = (await mcpFactory.search("knowledge graph entities", { detail: "names" })).tools.map((t) => t.server + "." + t.name);
({ found: found.tools[0].name, names })`, nil).mustSucceed(t)
	b, _ := json.Marshal(r.ReturnValue)
	if !strings.Contains(string(b), `"found":"write_file"`) || !strings.Contains(string(b), `"memory.create_entities"`) {
		t.Errorf("mcpFactory.search: %s", b)
	}
	if len(r.ToolCalls) != 2 || r.ToolCalls[0].Method != "search" {
		t.Errorf("toolCalls: %+v", r.ToolCalls)
	}
}
