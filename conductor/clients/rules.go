package clients

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tailscale/hujson"
)

// The rules by which Gemini CLI and Qwen Code decline to start a server
// that is in their settings. They follow Gemini CLI's `mcp list`
// (packages/cli/src/commands/mcp/list.ts: canLoadServer, then folder
// trust) and Qwen Code's mcp.allowed / mcp.excluded settings.

// readJSONFile decodes a JSON or JSONC file; nil if it is missing or bad.
func readJSONFile(path string) map[string]any {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	v, err := hujson.Parse(data)
	if err != nil {
		return nil
	}
	v.Standardize()
	var m map[string]any
	if json.Unmarshal(v.Pack(), &m) != nil {
		return nil
	}
	return m
}

// dig walks nested objects: dig(m, "mcp", "allowed").
func dig(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

// listHas reports whether v is a list and holds our name (Gemini compares
// lower-cased, trimmed names).
func listHas(v any) (isList, has bool) {
	l, ok := v.([]any)
	if !ok {
		return false, false
	}
	for _, x := range l {
		if s, ok := x.(string); ok && strings.EqualFold(strings.TrimSpace(s), ServerName) {
			return true, true
		}
	}
	return true, false
}

// scope is one settings file of a Gemini-like client.
type scope struct {
	file string
	doc  map[string]any
}

// listRules applies mcp.allowed (every list that is set must name us) and
// mcp.excluded (none may).
func listRules(scopes []scope) (State, string) {
	for _, s := range scopes {
		if isList, has := listHas(dig(s.doc, "mcp", "allowed")); isList && !has {
			return Blocked, fmt.Sprintf("mcp.allowed in %s does not list %s; add it there", s.file, ServerName)
		}
	}
	for _, s := range scopes {
		if _, has := listHas(dig(s.doc, "mcp", "excluded")); has {
			return Blocked, fmt.Sprintf("mcp.excluded in %s lists %s; remove it there", s.file, ServerName)
		}
	}
	return Registered, ""
}

func (in checkInput) scopes(dir string, system string) []scope {
	user := in.env.home(dir, "settings.json")
	files := []string{system, user, filepath.Join(in.workDir, dir, "settings.json")}
	var out []scope
	for _, f := range files {
		if doc := readJSONFile(f); doc != nil {
			out = append(out, scope{f, doc})
		}
	}
	return out
}

func geminiSystemSettings(e Env) string {
	if p := e.getenv("GEMINI_CLI_SYSTEM_SETTINGS_PATH"); p != "" {
		return p
	}
	switch e.GOOS {
	case "darwin":
		return "/Library/Application Support/GeminiCli/settings.json"
	case "windows":
		return `C:\ProgramData\gemini-cli\settings.json`
	}
	return "/etc/gemini-cli/settings.json"
}

func geminiCheck(in checkInput) (State, string) {
	scopes := in.scopes(".gemini", geminiSystemSettings(in.env))
	for _, s := range scopes {
		if v, ok := dig(s.doc, "admin", "mcp", "enabled").(bool); ok && !v {
			return Blocked, fmt.Sprintf("admin.mcp.enabled is false in %s: MCP servers are turned off by the administrator", s.file)
		}
	}
	if st, why := listRules(scopes); why != "" {
		return st, why
	}
	en := readJSONFile(in.env.home(".gemini", "mcp-server-enablement.json"))
	if v, ok := dig(en, ServerName, "enabled").(bool); ok && !v {
		return Disabled, "turned off with `gemini mcp disable`; run `gemini mcp enable " + ServerName + "`"
	}
	if !geminiTrusted(in, scopes) {
		return Disabled, fmt.Sprintf("Gemini starts MCP servers only in trusted folders and %s is not one; trust it when Gemini asks, or add it to %s", in.workDir, geminiTrustFile(in.env))
	}
	return Registered, ""
}

func geminiTrustFile(e Env) string {
	return e.envOr("GEMINI_CLI_TRUSTED_FOLDERS_PATH", e.home(".gemini", "trustedFolders.json"))
}

// geminiTrusted follows Gemini's checkPathTrust: environment overrides,
// then security.folderTrust.enabled (default true), then the longest rule
// of trustedFolders.json that contains the folder.
func geminiTrusted(in checkInput, scopes []scope) bool {
	switch {
	case in.env.getenv("GEMINI_RESTRICTED_MODE") == "true" || in.env.getenv("GEMINI_CLI_TRUST_WORKSPACE") == "false":
		return false
	case in.env.getenv("GEMINI_CLI_TRUST_WORKSPACE") == "true":
		return true
	}
	for _, s := range scopes {
		if v, ok := dig(s.doc, "security", "folderTrust", "enabled").(bool); ok && !v && s.file != filepath.Join(in.workDir, ".gemini", "settings.json") {
			return true // folder trust is off: every folder is trusted
		}
	}
	dir := realPath(in.workDir)
	best, trust := -1, false
	for rule, level := range readJSONFile(geminiTrustFile(in.env)) {
		eff := rule
		if level == "TRUST_PARENT" {
			eff = filepath.Dir(rule)
		}
		if within(realPath(eff), dir) && len(rule) > best {
			best, trust = len(rule), level == "TRUST_FOLDER" || level == "TRUST_PARENT"
		}
	}
	return trust
}

func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func qwenCheck(in checkInput) (State, string) {
	user := in.env.envOr("QWEN_HOME", in.env.home(".qwen"))
	var scopes []scope
	for _, f := range []string{filepath.Join(user, "settings.json"), filepath.Join(in.workDir, ".qwen", "settings.json")} {
		if doc := readJSONFile(f); doc != nil {
			scopes = append(scopes, scope{f, doc})
		}
	}
	return listRules(scopes)
}
