package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

// The published schemas pass the rules of strict validators (the MCP
// Inspector's --strict among them): no bare true or false where a schema
// object belongs, no type arrays, and no subschema that constrains
// nothing. test/protocol checks the same with the real Inspector.
func TestSchemasArePortable(t *testing.T) {
	for name, s := range map[string]*jsonschema.Schema{
		"run_deno_code input": runInputSchema(), "run_deno_code output": runOutputSchema(), "run_python_code input": pythonInputSchema(),
		"list_mcp_servers input": noArgsSchema(), "list_mcp_servers output": serversOutputSchema(),
		"get_tool_details input": toolDetailsInputSchema(), "get_tool_details output": toolDetailsOutputSchema(),
		"search_tools input": searchInputSchema(), "search_tools output": searchOutputSchema(),
		"save_skill input": saveSkillInputSchema(), "save_skill output": inferred[SaveSkillOutput](),
		"list_skills output": inferred[ListSkillsOutput](),
	} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var v any
		json.Unmarshal(b, &v)
		for _, f := range lint(v, "", "") {
			t.Errorf("%s: %s", name, f)
		}
	}
}

// booleanOK are the keywords whose value may be a bare boolean.
var booleanOK = []string{"additionalProperties", "unevaluatedProperties", "additionalItems", "unevaluatedItems"}

// constraining are the keywords that say something about a value.
var constraining = []string{"type", "enum", "const", "minimum", "maximum", "pattern", "format", "required", "items",
	"properties", "additionalProperties", "propertyNames", "anyOf", "oneOf", "allOf", "not", "$ref", "minItems", "maxItems", "minLength", "maxLength"}

func lint(v any, path, keyword string) []string {
	m, ok := v.(map[string]any)
	if !ok {
		if _, isBool := v.(bool); isBool && !slices.Contains(booleanOK, keyword) {
			return []string{fmt.Sprintf("%s: bare %v where a schema object belongs", path, v)}
		}
		return nil
	}
	var out []string
	if _, isArray := m["type"].([]any); isArray {
		out = append(out, fmt.Sprintf("%s: type is an array %v", path, m["type"]))
	}
	if !slices.ContainsFunc(constraining, func(k string) bool { _, ok := m[k]; return ok }) {
		out = append(out, fmt.Sprintf("%s: constrains nothing", path))
	}
	for _, k := range []string{"properties", "$defs", "definitions", "patternProperties"} {
		sub, _ := m[k].(map[string]any)
		for n, s := range sub {
			out = append(out, lint(s, path+"."+k+"."+n, k)...)
		}
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf", "prefixItems"} {
		alts, _ := m[k].([]any)
		for i, s := range alts {
			out = append(out, lint(s, fmt.Sprintf("%s.%s[%d]", path, k, i), k)...)
		}
	}
	for _, k := range []string{"items", "additionalProperties", "propertyNames", "not", "contains"} {
		if s, ok := m[k]; ok {
			out = append(out, lint(s, path+"."+k, k)...)
		}
	}
	return out
}
