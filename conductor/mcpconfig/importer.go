package mcpconfig

import (
	"encoding/json"
	"fmt"
	"sort"
)

// FromClientEntry turns a server entry from an MCP client's configuration
// (Cursor, Claude Desktop, VS Code, Windsurf, Gemini, ...) into an entry for
// mcp-config.json. The clients' spellings of the URL (url, serverUrl,
// httpUrl) and of the type (stdio, http, streamableHttp, sse) are
// understood; keys that mean nothing to the proxy are dropped and named in
// the second result.
func FromClientEntry(name string, raw json.RawMessage) (Server, []string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return Server{}, nil, fmt.Errorf("server %q: not a JSON object: %v", name, err)
	}
	sc := Server{Name: name}
	var dropped []string
	for k, v := range m {
		var err error
		switch k {
		case "command":
			err = json.Unmarshal(v, &sc.Command)
		case "args":
			err = json.Unmarshal(v, &sc.Args)
		case "env":
			err = json.Unmarshal(v, &sc.Env)
		case "cwd":
			err = json.Unmarshal(v, &sc.Cwd)
		case "url", "serverUrl", "httpUrl":
			err = json.Unmarshal(v, &sc.URL)
		case "headers":
			err = json.Unmarshal(v, &sc.Headers)
		case "type", "transport":
			var t string
			err = json.Unmarshal(v, &t)
			switch t {
			case "sse":
				sc.Type = "sse"
			case "http", "streamableHttp", "streamable-http":
				sc.Type = "http"
			}
		case "disabled":
			err = json.Unmarshal(v, &sc.Disabled)
		case "description":
			err = json.Unmarshal(v, &sc.Description)
		default:
			dropped = append(dropped, k)
		}
		if err != nil {
			return Server{}, nil, fmt.Errorf("server %q: %s: %v", name, k, err)
		}
	}
	if sc.Command != "" {
		sc.Type = ""
	}
	sort.Strings(dropped)
	return sc, dropped, validate(sc)
}
