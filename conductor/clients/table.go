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
	// places are where the client keeps its user-scope file; most clients
	// have one. See place.
	places []place
	// project is the file inside a project folder, "" if none.
	project string

	stdioType  string // "type" of a stdio entry, "" to omit
	httpType   string // "type" of an HTTP entry, "" to omit
	httpURLKey string // key of the URL in an HTTP entry; "" = no HTTP form
	headersKey string // key of the HTTP headers
	httpHint   string // what to do instead when httpURLKey is ""
	envKey     string // key of the environment; "" means "env"
	// commandArgs puts the program and its arguments in one "command"
	// array, without "args" (opencode).
	commandArgs bool
	// stdioExtra are written first in a stdio entry (Zed's "source").
	stdioExtra fields
	// check reports why the client would not start an entry it has, beyond
	// the entry's own "disabled"/"enabled" keys; nil when it has no such rules.
	check func(checkInput) verdict
	// enable turns back on, in the user-scope file (path, data), what the
	// client switched off for the folder workDir outside the entry (Claude
	// Code's per-project disabledMcpServers); nil when it has no such switch.
	enable func(e Env, path string, data []byte, workDir string) ([]byte, error)
}

// A place is one of a client's user-scope locations. Cline has two: its
// VS Code extension and its CLI, which read different files.
type place struct {
	name, label string
	// user lists the configuration files, best first. The first one that
	// exists is used; else the first whose folder exists; else the first.
	user func(Env) []string
	// markers are further paths whose existence shows the client is
	// installed (the folders of user always count).
	markers func(Env) []string
	// commands are programs whose presence on PATH shows it is installed.
	commands []string
}

func (d *clientDef) client() Client {
	return Client{ID: d.id, Name: d.name, ProjectScope: d.project != "", HTTP: d.httpURLKey != "", def: d}
}

func one(p string) []string { return []string{p} }

// at is a single place with the given files.
func at(user func(Env) []string, commands ...string) []place {
	return []place{{user: user, commands: commands}}
}

// envOr returns $k joined with elem, or def when k is unset.
func (e Env) envOr(k, def string, elem ...string) string {
	if d := e.getenv(k); d != "" {
		return e.join(append([]string{d}, elem...)...)
	}
	return def
}

var clineSettings = []string{"globalStorage", "saoudrizwan.claude-dev", "settings", "cline_mcp_settings.json"}

// table drives every client. Paths follow each client's documentation and
// source; see docs/runtime-and-clients.md.
var table = []clientDef{
	{
		id: "cursor", name: "Cursor", key: "mcpServers",
		places:     at(func(e Env) []string { return one(e.home(".cursor", "mcp.json")) }),
		project:    filepath.Join(".cursor", "mcp.json"),
		httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "claude-desktop", name: "Claude Desktop", key: "mcpServers",
		places:   at(claudeDesktopFiles),
		httpHint: "register the stdio form, or add the URL under Settings → Connectors",
	},
	{
		id: "vscode", name: "VS Code", key: "servers",
		places:    at(func(e Env) []string { return one(e.appConfig("Code", "User", "mcp.json")) }),
		project:   filepath.Join(".vscode", "mcp.json"),
		stdioType: "stdio", httpType: "http", httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "windsurf", name: "Windsurf", key: "mcpServers",
		places:     at(func(e Env) []string { return one(e.home(".codeium", "windsurf", "mcp_config.json")) }),
		httpURLKey: "serverUrl", headersKey: "headers",
	},
	{
		id: "claude-code", name: "Claude Code", key: "mcpServers",
		places: []place{{
			user: func(e Env) []string { return one(e.envOr("CLAUDE_CONFIG_DIR", e.home(".claude.json"), ".claude.json")) },
			markers: func(e Env) []string {
				return []string{e.home(".claude.json"), e.home(".claude"), e.getenv("CLAUDE_CONFIG_DIR")}
			},
			commands: []string{"claude"},
		}},
		project:   ".mcp.json",
		stdioType: "stdio", httpType: "http", httpURLKey: "url", headersKey: "headers",
		check: claudeCheck, enable: claudeEnable,
	},
	{
		id: "gemini", name: "Gemini CLI", key: "mcpServers",
		places:     at(func(e Env) []string { return one(e.home(".gemini", "settings.json")) }, "gemini"),
		project:    filepath.Join(".gemini", "settings.json"),
		httpURLKey: "httpUrl", headersKey: "headers",
		check: plainCheck(geminiCheck),
	},
	{
		id: "qwen", name: "Qwen Code", key: "mcpServers",
		places: at(func(e Env) []string {
			return one(e.envOr("QWEN_HOME", e.home(".qwen", "settings.json"), "settings.json"))
		}, "qwen"),
		project:    filepath.Join(".qwen", "settings.json"),
		httpURLKey: "httpUrl", headersKey: "headers",
		check: plainCheck(qwenCheck),
	},
	{
		id: "codex", name: "Codex", key: "mcp_servers", format: formatTOML,
		places: at(func(e Env) []string {
			return one(e.envOr("CODEX_HOME", e.home(".codex", "config.toml"), "config.toml"))
		}, "codex"),
		project:    filepath.Join(".codex", "config.toml"),
		httpURLKey: "url", headersKey: "http_headers",
	},
	{
		id: "opencode", name: "opencode", key: "mcp",
		places: at(func(e Env) []string {
			dir := e.xdgConfig("opencode") // opencode uses ~/.config on every OS
			if e.GOOS == "darwin" || e.GOOS == "windows" {
				dir = e.home(".config", "opencode")
			}
			return []string{e.join(dir, "opencode.json"), e.join(dir, "opencode.jsonc"), e.join(dir, "config.json")}
		}, "opencode"),
		project:   "opencode.json",
		stdioType: "local", httpType: "remote", httpURLKey: "url", headersKey: "headers",
		envKey: "environment", commandArgs: true,
	},
	{
		id: "zed", name: "Zed", key: "context_servers",
		places:  at(zedFiles),
		project: filepath.Join(".zed", "settings.json"),
		// Older Zed builds read context_servers as a tagged enum and need
		// "source"; newer ones ignore it. HTTP entries postdate the tag.
		stdioExtra: fields{{"source", "custom"}},
		httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "lmstudio", name: "LM Studio", key: "mcpServers",
		places: at(func(e Env) []string {
			return []string{e.home(".lmstudio", "mcp.json"), e.home(".cache", "lm-studio", "mcp.json")}
		}),
		httpURLKey: "url", headersKey: "headers",
	},
	{
		id: "cline", name: "Cline", key: "mcpServers",
		places: []place{
			{
				name: "extension", label: "VS Code, Cursor or Windsurf extension",
				user: func(e Env) []string {
					var out []string
					for _, editor := range []string{"Code", "Cursor", "Windsurf"} {
						out = append(out, e.appConfig(append([]string{editor, "User"}, clineSettings...)...))
					}
					return out
				},
				markers: func(e Env) []string {
					var out []string
					for _, editor := range []string{"Code", "Cursor", "Windsurf"} {
						out = append(out, e.appConfig(editor, "User", clineSettings[0], clineSettings[1]))
					}
					return out
				},
			},
			{
				// The CLI's paths: @cline/shared storage/paths.
				name: "cli", label: "cline CLI",
				user: func(e Env) []string {
					if p := e.getenv("CLINE_MCP_SETTINGS_PATH"); p != "" {
						return one(p)
					}
					data := e.envOr("CLINE_DATA_DIR", e.join(e.envOr("CLINE_DIR", e.home(".cline")), "data"))
					return one(e.join(data, "settings", "cline_mcp_settings.json"))
				},
				markers:  func(e Env) []string { return []string{e.home(".cline"), e.getenv("CLINE_DIR")} },
				commands: []string{"cline"},
			},
		},
		httpType: "streamableHttp", httpURLKey: "url", headersKey: "headers",
	},
}

func claudeDesktopFiles(e Env) []string {
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
}

func zedFiles(e Env) []string {
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
}
