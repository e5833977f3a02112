package server

import (
	"fmt"
	"slices"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
)

// The tools' published schemas are written for the strictest validators
// clients run (the MCP Inspector's --strict, providers that map schemas onto
// a single-type dialect): every subschema is an object that declares a
// type, there are no type arrays, and a value that may be anything says so
// with anyOf. The argument decoder (args.go) accepts exactly what
// runInputSchema allows, plus null for an optional argument.

// identPattern is the rule for a global's name: a JavaScript identifier, as
// the sandbox checks it.
const identPattern = `^[A-Za-z_$][A-Za-z0-9_$]*$`

// timeoutSchema is the timeout argument of run_deno_code and
// run_python_code.
func timeoutSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "number", Minimum: ptr(0.0), Description: "time limit in milliseconds, rounded to a whole number (at least 1); absent or 0: the administrator's default; larger than the administrator's maximum: the maximum"}
}

// runInputSchema is run_deno_code's input schema.
func runInputSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type: "object",
		Properties: map[string]*jsonschema.Schema{
			"deno_code": {Type: "string", Description: "TypeScript or JavaScript to run (ES module; top-level await and import of allowlisted packages work). The value of the last expression is returned."},
			"timeout":   timeoutSchema(),
			"globals": {Type: "object", AdditionalProperties: &jsonschema.Schema{}, PropertyNames: &jsonschema.Schema{Type: "string", Pattern: identPattern},
				Description: "values injected as read-only global variables, by name (each a JavaScript identifier)"},
			"dependencies": {Type: "array", Items: &jsonschema.Schema{Type: "string"}, Description: "npm: or jsr: packages to make importable; only the administrator's allowlist, at its versions"},
		},
		PropertyOrder:        []string{"deno_code", "timeout", "globals", "dependencies"},
		Required:             []string{"deno_code"},
		AdditionalProperties: falseSchema(),
	}
}

// errorTypes are the values of run_deno_code's error.type: the sandbox's
// kinds, and the two the server adds.
var errorTypes = []string{
	string(kindInput), string(sandbox.KindSyntax), string(sandbox.KindRuntime), string(sandbox.KindTimeout),
	string(sandbox.KindPermission), string(sandbox.KindDependency), string(sandbox.KindLimit), string(kindInternal),
}

// errorTypeDoc describes error.type, in the tool's description and schema.
const errorTypeDoc = "input (the arguments are invalid; nothing ran), syntax, runtime, timeout, permission, dependency, limit, or internal (the conductor could not run the code)"

// runOutputSchema is run_deno_code's output schema, the shape of every
// result, failures included.
func runOutputSchema() *jsonschema.Schema {
	s := inferred[sandbox.Result]()
	s.Properties["status"].Enum = []any{"success", "error"}
	e := s.Properties["error"]
	e.Description = "why the execution failed (absent on success)"
	e.Properties["type"].Enum = anySlice(errorTypes)
	e.Properties["type"].Description = "one of " + errorTypeDoc
	e.Properties["message"].Description = "what went wrong, for people"
	return s
}

// Proxy tools' schemas.
func serversOutputSchema() *jsonschema.Schema     { return inferred[ServersOutput]() }
func toolDetailsInputSchema() *jsonschema.Schema  { return inferred[ToolDetailsInput]() }
func toolDetailsOutputSchema() *jsonschema.Schema { return inferred[ToolDetailsOutput]() }
func searchOutputSchema() *jsonschema.Schema      { return inferred[proxy.SearchResult]() }

// searchInputSchema is search_tools' input schema.
func searchInputSchema() *jsonschema.Schema {
	details := make([]any, 0, len(proxy.Details))
	for _, d := range proxy.Details {
		details = append(details, string(d))
	}
	return &jsonschema.Schema{
		Type: "object",
		Properties: map[string]*jsonschema.Schema{
			"query":  {Type: "string", MinLength: ptr(1), Description: "words to look for in tool names and descriptions, such as \"write file\" or \"create issue\""},
			"server": {Type: "string", Description: "only this server (a name from list_mcp_servers); absent: every configured server"},
			"detail": {Type: "string", Enum: details, Description: "names: server and tool names; descriptions (default): and each description's first line; full: and the JSON schemas and TypeScript signature"},
			"limit":  {Type: "integer", Minimum: ptr(1.0), Maximum: ptr(float64(maxSearchLimit)), Description: "most tools returned, best first; default 10"},
		},
		PropertyOrder:        []string{"query", "server", "detail", "limit"},
		Required:             []string{"query"},
		AdditionalProperties: falseSchema(),
	}
}

func noArgsSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "object", Properties: map[string]*jsonschema.Schema{}, AdditionalProperties: falseSchema()}
}

// inferred is T's schema as jsonschema.For infers it, made portable.
func inferred[T any]() *jsonschema.Schema {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		panic(fmt.Sprintf("the schema of %T cannot be inferred: %v", *new(T), err))
	}
	portable(s)
	return s
}

// portable rewrites s in place for strict validators:
//   - a type array of "null" and one other type becomes that type (Go's
//     nil slices and pointers; the server never sends null for them, it
//     omits them or sends []);
//   - a schema that constrains nothing (an `any` field, inferred as `true`
//     or as a bare description) becomes anyJSON, its description kept.
func portable(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if len(s.Types) == 2 && slices.Contains(s.Types, "null") {
		s.Type = s.Types[0]
		if s.Type == "null" {
			s.Type = s.Types[1]
		}
		s.Types = nil
	}
	if unconstrained(s) {
		desc := s.Description
		*s = *anyJSON()
		s.Description = desc
		return
	}
	for _, p := range s.Properties {
		portable(p)
	}
	for _, sub := range []*jsonschema.Schema{s.Items, s.AdditionalProperties} {
		if sub != nil && !isTrue(sub) {
			portable(sub)
		}
	}
	for _, sub := range slices.Concat(s.AnyOf, s.OneOf, s.AllOf) {
		portable(sub)
	}
}

// unconstrained reports whether s accepts every value: it has no type and
// no other keyword that says anything about the value.
func unconstrained(s *jsonschema.Schema) bool {
	c := *s
	c.Title, c.Description = "", ""
	return isTrue(&c)
}

// isTrue reports whether s is the empty schema, which marshals as true.
func isTrue(s *jsonschema.Schema) bool {
	b, err := s.MarshalJSON()
	return err == nil && string(b) == "true"
}

// anyJSON is the schema of any JSON value, spelled so that every validator
// reads it the same way.
func anyJSON() *jsonschema.Schema {
	var alts []*jsonschema.Schema
	for _, t := range []string{"string", "number", "boolean", "object", "array", "null"} {
		alts = append(alts, &jsonschema.Schema{Type: t})
	}
	return &jsonschema.Schema{AnyOf: alts}
}

func falseSchema() *jsonschema.Schema { return &jsonschema.Schema{Not: &jsonschema.Schema{}} }

func anySlice[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
