package clients

import (
	"strings"
	"testing"
)

// TestEditShapes registers into unusual but valid files: the result must
// parse, hold our entry, and unregistering must give the input back.
func TestEditShapes(t *testing.T) {
	f, _ := table[0].render(testEntry) // Cursor's shape
	jsonCases := []string{
		`{}`,
		"{\n}\n",
		`{"mcpServers":{}}`,
		`{"mcpServers":{"a":{"command":"a"}}}`,
		`{"mcpServers": {"a": {"command": "a"}}, "x": [1, 2]}`,
		"{\n\t\"mcpServers\": {\n\t\t\"a\": {} // last\n\t}\n}",
		"/* head */ {\n  \"mcpServers\": {\n    \"a\": {},\n  },\n} // tail\n",
		"{\n    \"deep\": {\"x\": 1},\n    \"mcpServers\": {\n        /* none yet */\n    }\n}\n",
	}
	for _, in := range jsonCases {
		out, err := jsonSet("f", []byte(in), "mcpServers", f)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		got, ok, err := jsonEntry("f", out, "mcpServers")
		if err != nil || !ok || len(entryDiff(got, f)) != 0 {
			t.Errorf("%q → %s: entry %v %v", in, out, got, err)
			continue
		}
		back, removed, err := jsonRemove("f", out, "mcpServers")
		if err != nil || !removed {
			t.Errorf("%q: remove: %v", in, err)
			continue
		}
		// Adding a member to an empty object expands it; the rest must
		// come back exactly.
		if string(back) != in && !strings.Contains(in, "{}") && !strings.Contains(in, "none yet") && in != "{\n}\n" {
			t.Errorf("round trip of %q gave %q (via %q)", in, back, out)
		}
	}
	for _, bad := range []string{`[]`, `{"mcpServers": null}`, `{"mcpServers": [1]}`} {
		if _, err := jsonSet("f", []byte(bad), "mcpServers", f); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}

	tomlCases := []string{
		"model = \"x\"", // no final newline
		"[mcp_servers.mcp-conductor.env]\nA = \"1\"\n\n[other]\nk = 1\n",
		"[mcp_servers.\"mcp-conductor\"]\ncommand = \"old\"\n[mcp_servers.b]\ncommand = \"b\"\n",
		"# only a comment\n",
		"[mcp_servers.mcp-conductor]\ncommand = '''\n# not a comment\n'''\n",
	}
	for _, in := range tomlCases {
		out, err := tomlSet("c", []byte(in), f)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		got, ok, err := tomlEntry("c", out)
		if err != nil || !ok || len(entryDiff(got, f)) != 0 {
			t.Errorf("%q → %s: entry %v %v", in, out, got, err)
			continue
		}
		if _, _, err := parseTOML("c", out); err != nil {
			t.Errorf("%q → invalid %s", in, out)
		}
		if _, removed, err := tomlRemove("c", out); err != nil || !removed {
			t.Errorf("%q: remove: %v", in, err)
		}
	}
	if _, err := tomlSet("c", []byte("mcp_servers.mcp-conductor.command = \"x\"\n"), f); err == nil || !strings.Contains(err.Error(), "by hand") {
		t.Errorf("dotted-key entry: %v", err)
	}
	if _, err := tomlSet("c", []byte("[mcp_servers]\nmcp-conductor = { command = \"x\" }\n"), f); err == nil {
		t.Error("inline-table entry rewritten")
	}
}
