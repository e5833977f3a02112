package clients

import "path/filepath"

// fileFormat is the syntax of a client's configuration file.
type fileFormat int

const (
	formatJSON fileFormat = iota // JSON, or JSONC: comments and trailing commas survive
	formatTOML                   // TOML (Codex)
)

// clientDef is one row of the client table.
type clientDef struct {
	id, name string
	format   fileFormat
	// key names the object holding the servers: "mcpServers", "servers"...
	key string
	// user lists the user-scope configuration files, best first. The first
	// one whose folder exists is used; with none, the first one.
	user func(Env) []string
	// markers are paths whose existence shows the client is installed; nil
	// means the folders of user.
	markers func(Env) []string
	// project is the file inside a project folder, "" if none.
	project string

	stdioType  string // "type" of a stdio entry, "" to omit
	httpType   string // "type" of an HTTP entry, "" to omit
	httpURLKey string // key of the URL in an HTTP entry; "" = no HTTP form
	headersKey string // key of the HTTP headers
	httpHint   string // what to do instead when httpURLKey is ""
}

func (d *clientDef) client() Client {
	return Client{ID: d.id, Name: d.name, ProjectScope: d.project != "", HTTP: d.httpURLKey != "", def: d}
}

func one(p string) []string { return []string{p} }

// table drives every client. Paths follow each client's documentation and
// source; see docs/runtime-and-clients.md.
var table = []clientDef{
	{
		id: "cursor", name: "Cursor", key: "mcpServers",
		user:       func(e Env) []string { return one(e.home(".cursor", "mcp.json")) },
		project:    filepath.Join(".cursor", "mcp.json"),
		httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "claude-desktop", name: "Claude Desktop", key: "mcpServers",
		user: func(e Env) []string {
			var out []string
			if e.GOOS == "windows" {
				// The MSIX build (the default installer) reads a virtualised
				// copy; the publisher hash is not hard-coded.
				// Once it is installed, the %APPDATA% file is never read.
				for _, pkg := range glob(e.localAppData("Packages", "Claude_*")) {
					out = append(out, e.join(pkg, "LocalCache", "Roaming", "Claude", "claude_desktop_config.json"))
				}
				if len(out) > 0 {
					return out
				}
			}
			return append(out, e.appConfig("Claude", "claude_desktop_config.json"))
		},
		httpHint: "register the stdio form, or add the URL under Settings → Connectors",
	},
	{
		id: "vscode", name: "VS Code", key: "servers",
		user:      func(e Env) []string { return one(e.appConfig("Code", "User", "mcp.json")) },
		project:   filepath.Join(".vscode", "mcp.json"),
		stdioType: "stdio", httpType: "http", httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "windsurf", name: "Windsurf", key: "mcpServers",
		user:       func(e Env) []string { return one(e.home(".codeium", "windsurf", "mcp_config.json")) },
		httpURLKey: "serverUrl", headersKey: "headers",
	},
	{
		id: "claude-code", name: "Claude Code", key: "mcpServers",
		user: func(e Env) []string {
			if d := e.getenv("CLAUDE_CONFIG_DIR"); d != "" {
				return one(e.join(d, ".claude.json"))
			}
			return one(e.home(".claude.json"))
		},
		markers: func(e Env) []string {
			m := []string{e.home(".claude.json"), e.home(".claude")}
			if d := e.getenv("CLAUDE_CONFIG_DIR"); d != "" {
				m = append(m, d)
			}
			return m
		},
		project:   ".mcp.json",
		stdioType: "stdio", httpType: "http", httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "gemini", name: "Gemini CLI", key: "mcpServers",
		user:       func(e Env) []string { return one(e.home(".gemini", "settings.json")) },
		project:    filepath.Join(".gemini", "settings.json"),
		httpURLKey: "httpUrl", headersKey: "headers",
	},
	{
		id: "codex", name: "Codex", key: "mcp_servers", format: formatTOML,
		user: func(e Env) []string {
			if d := e.getenv("CODEX_HOME"); d != "" {
				return one(e.join(d, "config.toml"))
			}
			return one(e.home(".codex", "config.toml"))
		},
		project:    filepath.Join(".codex", "config.toml"),
		httpURLKey: "url", headersKey: "http_headers",
	},
	{
		id: "zed", name: "Zed", key: "context_servers",
		user: func(e Env) []string {
			switch e.GOOS {
			case "windows":
				return one(e.appData("Zed", "settings.json"))
			case "darwin": // Zed uses ~/.config on macOS too
				return one(e.home(".config", "zed", "settings.json"))
			}
			if d := e.getenv("FLATPAK_XDG_CONFIG_HOME"); d != "" {
				return []string{e.join(d, "zed", "settings.json"), e.xdgConfig("zed", "settings.json")}
			}
			return one(e.xdgConfig("zed", "settings.json"))
		},
		project:    filepath.Join(".zed", "settings.json"),
		httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "lmstudio", name: "LM Studio", key: "mcpServers",
		user: func(e Env) []string {
			return []string{e.home(".lmstudio", "mcp.json"), e.home(".cache", "lm-studio", "mcp.json")}
		},
		httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "cline", name: "Cline", key: "mcpServers",
		user: func(e Env) []string {
			var out []string
			for _, editor := range []string{"Code", "Cursor", "Windsurf"} {
				out = append(out, e.appConfig(editor, "User", "globalStorage", "saoudrizwan.claude-dev", "settings", "cline_mcp_settings.json"))
			}
			return append(out, e.home(".cline", "data", "settings", "cline_mcp_settings.json"))
		},
		markers: func(e Env) []string {
			var out []string
			for _, editor := range []string{"Code", "Cursor", "Windsurf"} {
				out = append(out, e.appConfig(editor, "User", "globalStorage", "saoudrizwan.claude-dev"))
			}
			return append(out, e.home(".cline"))
		},
		httpType: "streamableHttp", httpURLKey: "url", headersKey: "headers",
	},
}
