package clients

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/internal/pathid"
	"github.com/tailscale/hujson"
)

// The rules by which Claude Code declines to start a server it has, as its
// 2.1.197 CLI applies them (no library exposes them, so they are written
// here, each after the function of the CLI it follows):
//
//   - a policy: deniedMcpServers or allowedMcpServers in its settings
//     (managed, user, project and local settings merge; with
//     allowManagedMcpServersOnly in the managed settings only their
//     allowedMcpServers counts). An entry matches by serverName, by
//     serverCommand (the command and its arguments) or by serverUrl.
//   - a per-project switch: the user turned the server off with /mcp in a
//     folder; ~/.claude.json keeps it in projects[<key>].disabledMcpServers,
//     where <key> is claudeProjectKey's.
//   - for a project's .mcp.json server: the user rejected it
//     (disabledMcpjsonServers in the settings, or in the project's entry of
//     ~/.claude.json, which Claude Code moves to the local settings).

// claudeManagedDir is the folder of Claude Code's managed settings
// (managed-settings.json and managed-settings.d/*.json). A variable so that
// tests can point it at a folder they own.
var claudeManagedDir = func(e Env) string {
	switch e.GOOS {
	case "darwin":
		return "/Library/Application Support/ClaudeCode"
	case "windows":
		return `C:\Program Files\ClaudeCode`
	}
	return "/etc/claude-code"
}

// claudeUserFile is ~/.claude.json, or $CLAUDE_CONFIG_DIR/.claude.json.
func claudeUserFile(e Env) string {
	return e.envOr("CLAUDE_CONFIG_DIR", e.home(".claude.json"), ".claude.json")
}

// claudeSettings is one settings file and whether it is managed (set by an
// administrator) or the user's own.
type claudeSettings struct {
	scope
	managed bool
}

// claudeSettingsFiles reads Claude Code's settings in the order it merges
// them: user, project, local, then managed (see claudeManagedSettings).
func claudeSettingsFiles(e Env, workDir string) []claudeSettings {
	user := e.envOr("CLAUDE_CONFIG_DIR", e.home(".claude"))
	var out []claudeSettings
	for _, f := range []string{
		e.join(user, "settings.json"),
		filepath.Join(workDir, ".claude", "settings.json"),
		filepath.Join(workDir, ".claude", "settings.local.json"),
	} {
		if doc := readJSONFile(f); doc != nil {
			out = append(out, claudeSettings{scope{f, doc}, false})
		}
	}
	return append(out, claudeManagedSettings(e)...)
}

// claudeManagedSettings reads the managed settings files: managed-settings.json,
// then the managed-settings.d drop-ins in name order. The managed settings
// Claude Code can also take from the registry, a macOS profile or its
// server are not read.
func claudeManagedSettings(e Env) []claudeSettings {
	managed := claudeManagedDir(e)
	files := []string{e.join(managed, "managed-settings.json")}
	if ents, err := os.ReadDir(e.join(managed, "managed-settings.d")); err == nil {
		var names []string
		for _, d := range ents {
			if n := d.Name(); !d.IsDir() && strings.HasSuffix(n, ".json") && !strings.HasPrefix(n, ".") {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			files = append(files, e.join(managed, "managed-settings.d", n))
		}
	}
	var out []claudeSettings
	for _, f := range files {
		if doc := readJSONFile(f); doc != nil {
			out = append(out, claudeSettings{scope{f, doc}, true})
		}
	}
	return out
}

// claudeCheck applies Claude Code's rules to our entry, policies first.
func claudeCheck(in checkInput) verdict {
	if why := claudeManagedOnly(in.env); why != "" {
		return verdict{State: Blocked, Reason: why}
	}
	settings := claudeSettingsFiles(in.env, pathid.Resolve(in.workDir))
	if st, why := claudePolicy(settings, in.entry); why != "" {
		return verdict{State: st, Reason: why}
	}
	userFile := claudeUserFile(in.env)
	key := claudeProjectKey(in.env, in.workDir)
	projects := readClaudeProjects(userFile)
	for _, k := range claudeProjectKeys(projects, key) {
		switch l := projects[k].DisabledMcpServers.(type) {
		case []any:
			if slices.Contains(l, any(ServerName)) {
				why := "turned off with /mcp in Claude Code for " + k
				if in.project {
					// Register edits only .mcp.json for a project entry.
					return verdict{State: Disabled, Reason: why + "; turn it back on there with /mcp in Claude Code"}
				}
				return verdict{State: Disabled, Reason: why, Reenable: true}
			}
		case string: // Claude Code's includes() then finds the name in the text
			if strings.Contains(l, ServerName) {
				return verdict{State: Disabled, Reason: fmt.Sprintf("disabledMcpServers for %s in %s is text, not a list, and Claude Code reads %s in it; fix it by hand", k, userFile, ServerName)}
			}
		}
	}
	if !in.project {
		return verdict{State: Registered}
	}
	for _, s := range settings {
		if claudeNamesUs(dig(s.doc, "disabledMcpjsonServers")) {
			return verdict{State: Disabled, Reason: fmt.Sprintf("Claude Code was told not to use this project's %s (disabledMcpjsonServers in %s); remove it there, or run `claude mcp reset-project-choices` in %s", ServerName, s.file, in.workDir)}
		}
	}
	for _, k := range claudeProjectKeys(projects, key) {
		if claudeNamesUs(projects[k].DisabledMcpjsonServers) {
			return verdict{State: Disabled, Reason: fmt.Sprintf("Claude Code was told not to use this project's %s (disabledMcpjsonServers for %s in %s); run `claude mcp reset-project-choices` in %s", ServerName, k, userFile, in.workDir)}
		}
	}
	return verdict{State: Registered}
}

// claudeProject is what the checks read of a folder's entry in
// ~/.claude.json (any: a value of another type must not hide the rest).
type claudeProject struct {
	DisabledMcpServers     any `json:"disabledMcpServers"`
	DisabledMcpjsonServers any `json:"disabledMcpjsonServers"`
}

// readClaudeProjects reads the "projects" of ~/.claude.json, nil if the
// file is missing or bad. The file is large (it keeps every folder's
// history), so only these fields are decoded, not the whole document.
func readClaudeProjects(path string) map[string]claudeProject {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var doc struct {
		Projects map[string]claudeProject `json:"projects"`
	}
	if json.Unmarshal(data, &doc) != nil { // JSON with comments, perhaps
		std, err := hujson.Standardize(data)
		if err != nil || json.Unmarshal(std, &doc) != nil {
			return nil
		}
	}
	return doc.Projects
}

// claudeNamesUs reports whether a list of .mcp.json server names holds
// ours, compared as Claude Code compares them (every character but letters,
// digits, "_" and "-" counts as "_").
func claudeNamesUs(v any) bool {
	l, _ := v.([]any)
	norm := func(s string) string { return claudeNameChars.ReplaceAllString(s, "_") }
	for _, x := range l {
		if s, ok := x.(string); ok && norm(s) == norm(ServerName) {
			return true
		}
	}
	return false
}

var claudeNameChars = regexp.MustCompile(`[^a-zA-Z0-9_-]`)

// claudeManagedOnly says why Claude Code runs none of the user's servers
// at all: a managed-mcp.json in the managed folder fixes the set of servers
// (the CLI's doesEnterpriseMcpConfigExist), or the managed settings'
// strictPluginOnlyCustomization (true, or a list naming "mcp") allows only
// plugins' servers. "" when neither applies.
func claudeManagedOnly(e Env) string {
	dir := claudeManagedDir(e)
	mcp := e.join(dir, "managed-mcp.json")
	if _, ok := readJSONFile(mcp)["mcpServers"].(map[string]any); ok {
		return fmt.Sprintf("Claude Code runs only the MCP servers of its managed %s, set by your administrator; ask them to add %s there", mcp, ServerName)
	}
	for _, s := range claudeManagedSettings(e) {
		v := s.doc["strictPluginOnlyCustomization"]
		if l, ok := v.([]any); v == true || ok && slices.Contains(l, any("mcp")) {
			return fmt.Sprintf("strictPluginOnlyCustomization in %s lets Claude Code run only plugins' MCP servers (these are its managed settings: ask your administrator)", s.file)
		}
	}
	return ""
}

// claudePolicy follows Claude Code's isMcpServerDenied and
// isMcpServerAllowedByPolicy for our entry.
func claudePolicy(settings []claudeSettings, entry map[string]any) (State, string) {
	for _, s := range settings {
		l, _ := s.doc["deniedMcpServers"].([]any)
		for _, r := range l {
			if claudeRuleMatches(r, entry) {
				return Blocked, claudeWhere(s, "deniedMcpServers in %s names %s; remove it there")
			}
		}
	}
	onlyManaged := false
	for _, s := range settings {
		if v, _ := s.doc["allowManagedMcpServersOnly"].(bool); v && s.managed {
			onlyManaged = true
		}
	}
	var allowed []any
	var from []claudeSettings
	for _, s := range settings {
		if onlyManaged && !s.managed {
			continue
		}
		if l, ok := s.doc["allowedMcpServers"].([]any); ok {
			allowed = append(allowed, l...)
			from = append(from, s)
		}
	}
	if len(from) == 0 {
		return Registered, ""
	}
	// A stdio entry is judged by serverCommand rules if the list has any,
	// an HTTP entry by serverUrl rules; else both by serverName.
	kind := "serverName"
	if _, ok := entry["command"]; ok && slices.ContainsFunc(allowed, func(r any) bool { return claudeRuleHas(r, "serverCommand") }) {
		kind = "serverCommand"
	} else if _, ok := entry["url"]; ok && slices.ContainsFunc(allowed, func(r any) bool { return claudeRuleHas(r, "serverUrl") }) {
		kind = "serverUrl"
	}
	for _, r := range allowed {
		if claudeRuleHas(r, kind) && claudeRuleMatches(r, entry) {
			return Registered, ""
		}
	}
	s := from[len(from)-1]
	for _, f := range from {
		if f.managed {
			s = f
		}
	}
	return Blocked, claudeWhere(s, "allowedMcpServers in %s does not allow %s; add it there")
}

// claudeWhere says where a policy is and who can change it.
func claudeWhere(s claudeSettings, format string) string {
	why := fmt.Sprintf(format, s.file, ServerName)
	if s.managed {
		return why + " (these are Claude Code's managed settings: ask your administrator)"
	}
	return why
}

func claudeRuleHas(r any, key string) bool {
	m, _ := r.(map[string]any)
	_, ok := m[key]
	return ok
}

// claudeRuleMatches reports whether one deniedMcpServers/allowedMcpServers
// rule names our entry, by any of its keys (claudePolicy asks an allow rule
// only about the kind it chose).
func claudeRuleMatches(r any, entry map[string]any) bool {
	m, _ := r.(map[string]any)
	if n, ok := m["serverName"].(string); ok && n == ServerName {
		return true
	}
	if l, ok := m["serverCommand"].([]any); ok {
		cmd, _ := entry["command"].(string)
		args, _ := entry["args"].([]any)
		if _, isStdio := entry["command"]; isStdio && slices.Equal(l, append([]any{cmd}, args...)) {
			return true
		}
	}
	if p, ok := m["serverUrl"].(string); ok {
		if u, isHTTP := entry["url"].(string); isHTTP && claudeURLMatches(p, u) {
			return true
		}
	}
	return false
}

// claudeURLMatches matches a serverUrl pattern, in which "*" stands for any
// run of characters within a part of the URL ("*" alone matches every URL),
// as Claude Code's fallback matcher does.
func claudeURLMatches(pattern, url string) bool {
	if pattern == "*" || pattern == url {
		return true
	}
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, `[^/]*`) + "$"
	ok, _ := regexp.MatchString(re, strings.SplitN(url, "#", 2)[0])
	return ok
}

// claudeProjectKey is the key under which Claude Code keeps the state of a
// session started in workDir: the folder with its links resolved, or the
// root of the git work tree it is in (a linked worktree counts as its main
// repository), with "/" as separator on Windows. It follows the CLI's
// getProjectPathForConfig (findGitRoot, then the canonical git root).
func claudeProjectKey(e Env, workDir string) string {
	dir := pathid.Resolve(workDir)
	key := dir
	if root := claudeGitRoot(dir); root != "" {
		key = claudeMainRepo(root)
	}
	key = filepath.Clean(key)
	if e.GOOS == "windows" {
		key = filepath.ToSlash(key)
	}
	return key
}

// claudeGitRoot is the nearest folder, dir or above, that has a .git folder
// or file; "" if none does.
func claudeGitRoot(dir string) string {
	for cur := dir; ; {
		if _, err := os.Stat(filepath.Join(cur, ".git")); err == nil {
			return cur
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return ""
		}
		cur = parent
	}
}

// claudeMainRepo returns the main repository's folder when root is a
// linked worktree whose .git file and gitdir agree, else root.
func claudeMainRepo(root string) string {
	b, err := os.ReadFile(filepath.Join(root, ".git"))
	line := strings.TrimSpace(string(b))
	if err != nil || !strings.HasPrefix(line, "gitdir:") {
		return root
	}
	abs := func(base, p string) string {
		if filepath.IsAbs(p) {
			return filepath.Clean(p)
		}
		return filepath.Join(base, p)
	}
	gitDir := abs(root, strings.TrimSpace(strings.TrimPrefix(line, "gitdir:")))
	common, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return root
	}
	commonDir := abs(gitDir, strings.TrimSpace(string(common)))
	if filepath.Dir(gitDir) != filepath.Join(commonDir, "worktrees") {
		return root
	}
	back, err := os.ReadFile(filepath.Join(gitDir, "gitdir"))
	if err != nil {
		return root
	}
	if real, err := filepath.EvalSymlinks(strings.TrimSpace(string(back))); err != nil || real != filepath.Join(pathid.Resolve(root), ".git") {
		return root
	}
	if filepath.Base(commonDir) != ".git" {
		return commonDir
	}
	return filepath.Dir(commonDir)
}

// claudeProjectKeys returns the keys of projects that stand for the folder
// whose key is key: key itself if present (Claude Code looks it up so),
// else the keys that lead to the same folder (a link to it, another
// spelling), sorted. The folders are compared by identity (os.SameFile)
// with one stat a key rather than through pathid.Same, which walks each
// key's ancestors: ~/.claude.json holds a key for every folder Claude Code
// ever ran in.
func claudeProjectKeys[V any](projects map[string]V, key string) []string {
	if _, ok := projects[key]; ok {
		return []string{key}
	}
	want, err := os.Stat(filepath.FromSlash(key))
	if err != nil {
		return nil // a folder that is gone has only its own key
	}
	var out []string
	for k := range projects {
		if fi, err := os.Stat(filepath.FromSlash(k)); err == nil && os.SameFile(fi, want) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// claudeEnable removes our name from disabledMcpServers in the entries of
// projects (in ~/.claude.json, data) that stand for workDir, and changes
// nothing else: the file is Claude Code's, large, and rewritten by it.
func claudeEnable(e Env, path string, data []byte, workDir string) ([]byte, error) {
	doc, root, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	pi := member(root, "projects")
	if pi < 0 {
		return data, nil
	}
	projects, ok := root.Members[pi].Value.Value.(*hujson.Object)
	if !ok {
		return data, nil
	}
	names := map[string]bool{}
	for _, m := range projects.Members {
		if lit, ok := m.Name.Value.(hujson.Literal); ok {
			names[lit.String()] = true
		}
	}
	changed := false
	for _, k := range claudeProjectKeys(names, claudeProjectKey(e, workDir)) {
		proj, ok := projects.Members[member(projects, k)].Value.Value.(*hujson.Object)
		if !ok {
			continue
		}
		di := member(proj, "disabledMcpServers")
		if di < 0 {
			continue
		}
		if arr, ok := proj.Members[di].Value.Value.(*hujson.Array); ok && removeString(arr, ServerName) {
			changed = true
		}
	}
	if !changed {
		return data, nil
	}
	return doc.Pack(), nil
}

// removeString deletes the elements of arr that are the string s, keeping
// the layout of the others; it reports whether it removed any.
func removeString(arr *hujson.Array, s string) bool {
	removed := false
	for i := len(arr.Elements) - 1; i >= 0; i-- {
		lit, ok := arr.Elements[i].Value.(hujson.Literal)
		if !ok || lit.Kind() != '"' || lit.String() != s {
			continue
		}
		removed = true
		gone := arr.Elements[i]
		switch last := i == len(arr.Elements)-1; {
		case i == 0 && !last:
			arr.Elements[1].BeforeExtra = gone.BeforeExtra
		case last && i > 0: // keep the file's trailing-comma style
			prev := &arr.Elements[i-1]
			if gone.AfterExtra == nil && isSpace(prev.AfterExtra) {
				prev.AfterExtra = nil
			} else if gone.AfterExtra != nil && prev.AfterExtra == nil {
				prev.AfterExtra = []byte{}
			}
		}
		arr.Elements = append(arr.Elements[:i], arr.Elements[i+1:]...)
	}
	if removed && len(arr.Elements) == 0 && isSpace(arr.AfterExtra) {
		arr.AfterExtra = nil // [] as Claude Code writes an empty list
	}
	return removed
}
