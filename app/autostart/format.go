package autostart

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// desktopEntry renders an XDG autostart entry (Desktop Entry Specification 1.5).
func desktopEntry(it *Item) string {
	var exec []string
	if len(it.Env) > 0 {
		exec = append(exec, "env")
		for _, k := range slices.Sorted(maps.Keys(it.Env)) {
			exec = append(exec, k+"="+it.Env[k])
		}
	}
	exec = append(exec, it.Exec...)
	quoted := make([]string, len(exec))
	for i, a := range exec {
		quoted[i] = quoteExecArg(a)
	}
	var b strings.Builder
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	fmt.Fprintf(&b, "Name=%s\n", escapeValue(it.Name))
	if it.Comment != "" {
		fmt.Fprintf(&b, "Comment=%s\n", escapeValue(it.Comment))
	}
	fmt.Fprintf(&b, "Exec=%s\n", escapeValue(strings.Join(quoted, " ")))
	fmt.Fprintf(&b, "Icon=%s\n", escapeValue(it.ID))
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return b.String()
}

// quoteExecArg quotes one Exec argument: arguments with reserved characters
// go in double quotes, with ", `, $ and \ escaped by a backslash; a literal
// % is written %%.
func quoteExecArg(a string) string {
	a = strings.ReplaceAll(a, "%", "%%")
	if a != "" && !strings.ContainsAny(a, execReserved) {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range a {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// execReserved are the characters that make an Exec argument need quotes.
const execReserved = " \t\n\"'\\><~|&;$*?#()`"

// escapeValue applies the general escape rules of a desktop entry value.
func escapeValue(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "\n", "\\n", "\t", "\\t", "\r", "\\r")
	return r.Replace(s)
}

// desktopEntryEnabled reports whether an autostart entry would run: session
// managers skip entries with Hidden=true or X-GNOME-Autostart-enabled=false.
func desktopEntryEnabled(content string) bool {
	inMain := false
	sc := bufio.NewScanner(strings.NewReader(content))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inMain = line == "[Desktop Entry]"
			continue
		}
		if !inMain {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case k == "Hidden" && v == "true":
			return false
		case k == "X-GNOME-Autostart-enabled" && v == "false":
			return false
		}
	}
	return true
}

// launchAgent renders a launchd property list that runs the program at login.
func launchAgent(it *Item) string {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + esc(it.ID) + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, a := range it.Exec {
		b.WriteString("\t\t<string>" + esc(a) + "</string>\n")
	}
	b.WriteString("\t</array>\n")
	if len(it.Env) > 0 {
		b.WriteString("\t<key>EnvironmentVariables</key>\n\t<dict>\n")
		for _, k := range slices.Sorted(maps.Keys(it.Env)) {
			b.WriteString("\t\t<key>" + esc(k) + "</key>\n\t\t<string>" + esc(it.Env[k]) + "</string>\n")
		}
		b.WriteString("\t</dict>\n")
	}
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n\t<key>ProcessType</key>\n\t<string>Interactive</string>\n</dict>\n</plist>\n")
	return b.String()
}
