package proxy

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Detail is how much search_tools says about each tool it finds.
type Detail string

// The detail levels, from the cheapest.
const (
	DetailNames        Detail = "names"        // server and tool name
	DetailDescriptions Detail = "descriptions" // and the description's first line
	DetailFull         Detail = "full"         // and the schemas and TypeScript
)

// Details are the detail levels, cheapest first.
var Details = []Detail{DetailNames, DetailDescriptions, DetailFull}

// SearchOptions narrow a search.
type SearchOptions struct {
	Server string // only this server; "" every configured one
	Detail Detail // default DetailDescriptions
	Limit  int    // most tools returned; default 10
}

// ToolMatch is one tool a search found, at the detail asked for.
type ToolMatch struct {
	Server       string         `json:"server"`
	Name         string         `json:"name"`
	Description  string         `json:"description,omitempty" jsonschema:"the description's first line (descriptions), or all of it (full)"`
	InputSchema  map[string]any `json:"inputSchema,omitempty" jsonschema:"the tool's JSON Schema for its arguments (full)"`
	OutputSchema map[string]any `json:"outputSchema,omitempty" jsonschema:"the tool's JSON Schema for its structured result, if it declares one (full)"`
	TypeScript   string         `json:"typescript,omitempty" jsonschema:"the tool as a TypeScript method signature, after the named types it uses (full)"`
}

// SearchResult is what a search found.
type SearchResult struct {
	Tools []ToolMatch `json:"tools" jsonschema:"the matching tools, best first"`
	// Unavailable are the servers that could not be searched, and why.
	Unavailable []ServerProblem `json:"unavailable,omitempty" jsonschema:"servers that could not be searched (not running, disabled, misconfigured), and why"`
}

// ServerProblem is a server a search could not read.
type ServerProblem struct {
	Server string `json:"server"`
	Error  string `json:"error"`
}

// Search finds the allowed tools of the configured servers (or of
// opts.Server) whose names and descriptions match query's words, best
// first. Servers are connected, concurrently, if they are not yet. The
// answers are redacted (see Redacted).
//
// The ranking is written here rather than taken from a search library:
// the corpus is a few hundred short texts, read fresh from the servers on
// every search, so an index would cost more than it saves. Each query
// word scores, weighted by how rare it is among the tools (inverse
// document frequency), 3 for a word of the tool's name, 1 for a word of
// its description; a word that only begins a tool's word (write, writes)
// scores half. A tool's server name counts as a word of its name.
func (m *Manager) Search(ctx context.Context, query string, opts SearchOptions) (*SearchResult, error) {
	if opts.Detail == "" {
		opts.Detail = DetailDescriptions
	}
	if !slices.Contains(Details, opts.Detail) {
		return nil, fmt.Errorf("unknown detail %q; use names, descriptions or full", opts.Detail)
	}
	if opts.Limit <= 0 {
		opts.Limit = 10
	}
	terms := words(query)
	if len(terms) == 0 {
		return nil, fmt.Errorf("the query has no words to search for; give words of a tool's name or description, such as \"write file\"")
	}
	names := m.Names()
	if opts.Server != "" {
		if _, err := m.lookup(opts.Server); err != nil {
			return nil, m.secrets.Load().Error(err)
		}
		names = []string{opts.Server}
	}
	type listed struct {
		tools []*mcp.Tool
		err   error
	}
	lists := make([]listed, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lists[i].tools, lists[i].err = m.Tools(ctx, n)
		}()
	}
	wg.Wait()

	res := &SearchResult{Tools: []ToolMatch{}}
	type doc struct {
		server string
		tool   *mcp.Tool
		name   []string
		desc   []string
	}
	var docs []doc
	for i, l := range lists {
		if l.err != nil {
			res.Unavailable = append(res.Unavailable, ServerProblem{Server: m.Redact(names[i]), Error: l.err.Error()})
			continue
		}
		for _, t := range l.tools {
			docs = append(docs, doc{server: names[i], tool: t, name: append(words(t.Name), words(names[i])...), desc: words(t.Description)})
		}
	}
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, w := range slices.Concat(d.name, d.desc) {
			for _, t := range terms {
				if !seen[t] && matchWord(w, t) > 0 {
					seen[t] = true
					df[t]++
				}
			}
		}
	}
	type scored struct {
		doc
		score float64
	}
	var hits []scored
	for _, d := range docs {
		var score float64
		for _, t := range terms {
			idf := math.Log(1 + float64(len(docs))/float64(1+df[t]))
			score += idf * (3*best(d.name, t) + best(d.desc, t))
		}
		if score > 0 {
			hits = append(hits, scored{d, score})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.server, b.server), cmp.Compare(a.tool.Name, b.tool.Name))
	})
	for _, h := range hits[:min(len(hits), opts.Limit)] {
		res.Tools = append(res.Tools, match(h.server, h.tool, opts.Detail))
	}
	return res, nil
}

// match describes t at the detail asked for.
func match(server string, t *mcp.Tool, detail Detail) ToolMatch {
	tm := ToolMatch{Server: server, Name: t.Name}
	switch detail {
	case DetailDescriptions:
		tm.Description, _, _ = strings.Cut(strings.TrimSpace(t.Description), "\n")
	case DetailFull:
		tm.Description = t.Description
		if tm.InputSchema = SchemaMap(t.InputSchema); tm.InputSchema == nil {
			tm.InputSchema = map[string]any{"type": "object"}
		}
		tm.OutputSchema = SchemaMap(t.OutputSchema)
		tm.TypeScript = ToolDeclaration(t)
	}
	return tm
}

// best is how well the words ws hold term: 1 for the word itself, 0.5 for
// a word it begins (at least 3 letters), else 0.
func best(ws []string, term string) float64 {
	var b float64
	for _, w := range ws {
		b = max(b, matchWord(w, term))
	}
	return b
}

func matchWord(w, term string) float64 {
	switch {
	case w == term:
		return 1
	case len(term) >= 3 && strings.HasPrefix(w, term), len(w) >= 3 && strings.HasPrefix(term, w):
		return 0.5
	}
	return 0
}

// words splits s into lower-case words at everything but letters and
// digits, and between a lower-case letter and an upper-case one
// (readTextFile, read_text_file and read-text-file are the same words).
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if w := strings.ToLower(string(cur)); w != "" && !stopWords[w] {
			out = append(out, w)
		}
		cur = cur[:0]
	}
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			cur = append(cur, r)
			prevLower = unicode.IsLower(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}

// stopWords are English words too common to say which tool is meant.
var stopWords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "by": true, "from": true, "is": true, "it": true, "this": true, "that": true, "as": true, "at": true, "be": true}
