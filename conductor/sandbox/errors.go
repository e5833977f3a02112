package sandbox

import (
	"regexp"
	"strings"
	"sync"
)

// ErrorKind classifies why an execution failed.
type ErrorKind string

// The kinds of execution failure reported to clients.
const (
	KindSyntax     ErrorKind = "syntax"     // the code does not parse
	KindRuntime    ErrorKind = "runtime"    // the code threw or exited non-zero
	KindTimeout    ErrorKind = "timeout"    // the code ran past its time limit
	KindPermission ErrorKind = "permission" // the code needed a permission it was not given
	KindDependency ErrorKind = "dependency" // an import is not allowed or could not be installed
	KindLimit      ErrorKind = "limit"      // memory or output limits were exceeded
)

// maxErrorText bounds an error's message and stack as the code reported
// them.
const maxErrorText = 64 << 10

var (
	dependencyRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^Requires import access to|--cached-only|not found in cache|Module not found|Import ".*" not a dependency|The lockfile is out of date`)
	})
	permissionRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Requires \S+ access to`) })
	// codePositionRe matches the module's URL as V8 prints it (maybe
	// shortened with "......"), and the position after it, if any.
	codePositionRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`data:text/javascript,[A-Za-z0-9%.]*(:(\d+):(\d+))?`)
	})
)

// classify judges an error the code reported (its name, message and stack,
// as untrusted text) and returns its kind and the text to show: the stack
// when it holds the message, else "name: message".
func classify(name, message, stack string) (ErrorKind, string) {
	text := stack
	if text == "" || !strings.Contains(text, message) {
		text = name + ": " + message
	}
	switch {
	case name == "LimitError":
		return KindLimit, message
	case dependencyRe().MatchString(message):
		if strings.Contains(message, "The lockfile is out of date") {
			text = "import refused: only the administrator's allowlisted packages, at their versions, can be imported; this import is not one of them"
			if i := strings.Index(message, "changes:"); i >= 0 {
				text += " (" + strings.TrimSpace(message[i+len("changes:"):]) + ")"
			}
		}
		return KindDependency, text
	case name == "NotCapable" || name == "PermissionDenied" || permissionRe().MatchString(message):
		return KindPermission, text
	case name == "RangeError" && strings.Contains(message, "allocation failed"):
		return KindLimit, text
	}
	return KindRuntime, text
}

// moduleURL is the data: URL the code is imported from. Every byte but
// letters and digits is percent-encoded, so the URL holds no character that
// ends a URL in a stack trace (not even "(" or ")"), and cleanText can find
// it whole.
func moduleURL(js string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len("data:text/javascript,") + 3*len(js))
	b.WriteString("data:text/javascript,")
	for i := 0; i < len(js); i++ {
		c := js[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// cleanText names the code "code.ts" and the bootstrap
// "conductor:bootstrap" in an error's text, instead of their URLs (V8 may
// have shortened the code's URL with "......"), and maps the code's
// positions back to the submitted text (pos may be nil: positions stay).
func cleanText(s, bootstrapURL string, pos *positions) string {
	if bootstrapURL != "" {
		s = strings.ReplaceAll(s, bootstrapURL, "conductor:bootstrap")
	}
	return pos.rewrite(s)
}

// classifyPython judges a Python exception the code reported (its type's
// name, message and traceback, as untrusted text), like classify.
func classifyPython(name, message, stack string) (ErrorKind, string) {
	text := stack
	if text == "" {
		text = name + ": " + message
	}
	switch name {
	case "LimitError":
		return KindLimit, message
	case "SyntaxError", "IndentationError", "TabError":
		return KindSyntax, text
	case "PermissionError":
		return KindPermission, text
	case "ModuleNotFoundError", "PackageError":
		return KindDependency, text
	case "MemoryError":
		return KindLimit, text
	}
	if strings.HasPrefix(message, "NotCapable") || strings.HasPrefix(message, "PermissionDenied") || permissionRe().MatchString(message) {
		return KindPermission, text // a JavaScript API refused by Deno
	}
	return KindRuntime, text
}
