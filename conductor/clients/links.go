package clients

import (
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// A Link is a one-click or one-command alternative to editing a file.
type Link struct {
	// Client is the client ID it is for.
	Client string
	// Label says what it is, e.g. "Cursor install link".
	Label string
	// Value is the URL or the shell command line.
	Value string
}

// Links returns the install deep links of Cursor and VS Code and the
// `claude mcp add` and `codex mcp add` commands for e. Commands are quoted
// for POSIX shells.
func Links(e Entry) ([]Link, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	cursor, err := marshal(entryFields(e, ""), "", "")
	if err != nil {
		return nil, err
	}
	vs := append(fields{{"name", ServerName}}, entryFields(e, "stdio")...)
	vscode, err := marshal(vs, "", "")
	if err != nil {
		return nil, err
	}
	return []Link{
		{"cursor", "Cursor install link", "cursor://anysphere.cursor-deeplink/mcp/install?name=" +
			url.QueryEscape(ServerName) + "&config=" + url.QueryEscape(base64.StdEncoding.EncodeToString(cursor))},
		{"vscode", "VS Code install link", "vscode:mcp/install?" + url.PathEscape(string(vscode))},
		{"claude-code", "Claude Code command", ShellQuote(claudeAdd(e))},
		{"codex", "Codex command", ShellQuote(codexAdd(e))},
	}, nil
}

// entryFields is the Cursor-style entry; stdioType adds "type" as VS Code
// links expect.
func entryFields(e Entry, stdioType string) fields {
	if e.IsHTTP() {
		f := fields{{"url", e.URL}}
		if stdioType != "" {
			f = append(fields{{"type", "http"}}, f...)
		}
		if len(e.Headers) > 0 {
			f = append(f, field{"headers", e.Headers})
		}
		return f
	}
	var f fields
	if stdioType != "" {
		f = append(f, field{"type", stdioType})
	}
	f = append(f, field{"command", e.Command}, field{"args", nonNil(e.Args)})
	if len(e.Env) > 0 {
		f = append(f, field{"env", e.Env})
	}
	return f
}

// claudeAdd is `claude mcp add`. The name comes right after the scope:
// -e and --header take several values and would swallow it.
func claudeAdd(e Entry) []string {
	cmd := []string{"claude", "mcp", "add", "--scope", "user"}
	if e.IsHTTP() {
		cmd = append(cmd, "--transport", "http", ServerName, e.URL)
		for _, k := range slices.Sorted(maps.Keys(e.Headers)) {
			cmd = append(cmd, "--header", k+": "+e.Headers[k])
		}
		return cmd
	}
	cmd = append(cmd, ServerName)
	for _, k := range slices.Sorted(maps.Keys(e.Env)) {
		cmd = append(cmd, "-e", k+"="+e.Env[k])
	}
	return append(append(cmd, "--", e.Command), e.Args...)
}

func codexAdd(e Entry) []string {
	cmd := []string{"codex", "mcp", "add", ServerName}
	if e.IsHTTP() {
		// Codex takes no inline bearer token; it reads one from a variable.
		return append(cmd, "--url", e.URL)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Env)) {
		cmd = append(cmd, "--env", k+"="+e.Env[k])
	}
	return append(append(cmd, "--", e.Command), e.Args...)
}

// ShellQuote joins args into a POSIX shell command line, quoting where
// needed.
func ShellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@%+,", r))
		}) < 0 {
			q[i] = a
			continue
		}
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
