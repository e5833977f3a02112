package proxy

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"read_text_file":                     "read text file",
		"readTextFile":                       "read text file",
		"get-tiny-image":                     "get tiny image",
		"Create a new file, or overwrite it": "create new file overwrite",
		"HTTPServer v2":                      "httpserver v2",
		"":                                   "",
	} {
		if got := strings.Join(words(in), " "); got != want {
			t.Errorf("words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearch(t *testing.T) {
	srv := func(tools map[string]string) string {
		s := mcp.NewServer(&mcp.Implementation{Name: "up", Version: "1"}, nil)
		for name, desc := range tools {
			s.AddTool(&mcp.Tool{Name: name, Description: desc, InputSchema: map[string]any{"type": "object", "properties": map[string]any{"path": map[string]any{"type": "string"}}}},
				func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
					return &mcp.CallToolResult{}, nil
				})
		}
		return testUpstream(t, s, nil)
	}
	files := srv(map[string]string{
		"write_file":     "Create a new file or overwrite an existing one.\nUse with care.",
		"read_text_file": "Read a file's contents as text.",
		"list_directory": "List the entries of a directory.",
	})
	memory := srv(map[string]string{
		"create_entities": "Create entities in the knowledge graph.",
		"read_graph":      "Read the whole knowledge graph.",
	})
	m := testManager(t, map[string]any{
		"files":  map[string]any{"url": files, "denyTools": []string{"list_*"}},
		"memory": map[string]any{"url": memory},
		"broken": map[string]any{"command": ""},
	}, Options{})
	ctx := context.Background()
	names := func(r *SearchResult) []string {
		var out []string
		for _, tm := range r.Tools {
			out = append(out, tm.Server+"."+tm.Name)
		}
		return out
	}
	for _, tt := range []struct {
		query string
		opts  SearchOptions
		want  []string // best first; exactly these
	}{
		{"write file", SearchOptions{}, []string{"files.write_file", "files.read_text_file"}},
		{"knowledge graph", SearchOptions{}, []string{"memory.read_graph", "memory.create_entities"}},
		{"read", SearchOptions{}, []string{"files.read_text_file", "memory.read_graph"}},
		{"read", SearchOptions{Server: "memory"}, []string{"memory.read_graph"}},
		{"read", SearchOptions{Limit: 1}, []string{"files.read_text_file"}},
		{"directory", SearchOptions{}, nil},                                                     // denied tools are not found
		{"writes files", SearchOptions{}, []string{"files.write_file", "files.read_text_file"}}, // word beginnings
		{"create", SearchOptions{}, []string{"files.write_file", "memory.create_entities"}},
	} {
		r, err := m.Search(ctx, tt.query, tt.opts)
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		got := names(r)
		if tt.query == "create" { // the name outranks the description
			if len(got) != 2 || got[0] != "memory.create_entities" {
				t.Errorf("%q: %v", tt.query, got)
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q %+v: %v, want %v", tt.query, tt.opts, got, tt.want)
		}
		if tt.opts.Server == "" && (len(r.Unavailable) != 1 || r.Unavailable[0].Server != "broken") {
			t.Errorf("%q: unavailable %+v", tt.query, r.Unavailable)
		}
	}
	// Detail levels.
	r, _ := m.Search(ctx, "write file", SearchOptions{Detail: DetailNames, Limit: 1})
	if tm := r.Tools[0]; tm.Description != "" || tm.InputSchema != nil || tm.TypeScript != "" {
		t.Errorf("names: %+v", tm)
	}
	r, _ = m.Search(ctx, "write file", SearchOptions{Limit: 1})
	if tm := r.Tools[0]; tm.Description != "Create a new file or overwrite an existing one." || tm.InputSchema != nil {
		t.Errorf("descriptions: %+v", tm)
	}
	r, _ = m.Search(ctx, "write file", SearchOptions{Detail: DetailFull, Limit: 1})
	if tm := r.Tools[0]; !strings.Contains(tm.Description, "Use with care") || tm.InputSchema["properties"] == nil || !strings.Contains(tm.TypeScript, "write_file(") {
		t.Errorf("full: %+v", tm)
	}
	for _, bad := range []struct {
		q    string
		opts SearchOptions
		want string
	}{
		{"  , ", SearchOptions{}, "no words"},
		{"x", SearchOptions{Detail: "all"}, "unknown detail"},
		{"x", SearchOptions{Server: "nope"}, "unknown MCP server"},
	} {
		if _, err := m.Search(ctx, bad.q, bad.opts); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q %+v: %v", bad.q, bad.opts, err)
		}
	}
}
