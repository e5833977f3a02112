package sandbox

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		name, message string
		want          ErrorKind
	}{
		{"NotCapable", `Requires read access to "/etc/passwd"`, KindPermission},
		{"PermissionDenied", "Permission denied (os error 13)", KindPermission},
		{"TypeError", `Requires import access to "x"`, KindDependency},
		{"TypeError", "The lockfile is out of date. Run `deno install --frozen=false`\nchanges:\n+ \"npm:dep@2\": \"2.0.1\"", KindDependency},
		{"RangeError", "Array buffer allocation failed", KindLimit},
		{"LimitError", "the return value is too large", KindLimit},
		{"TypeError", "x is not a function", KindRuntime},
	} {
		kind, text := classify(tt.name, tt.message, "")
		if kind != tt.want {
			t.Errorf("classify(%s: %s) = %s, want %s", tt.name, tt.message, kind, tt.want)
		}
		if strings.Contains(text, "deno install") {
			t.Errorf("advice for a command line reached the model: %s", text)
		}
	}
}

func TestModuleURLAndCleanText(t *testing.T) {
	js := "function f(a) { throw new TypeError(\"bad \" + a) }\nf(1)"
	u := moduleURL(js)
	if strings.ContainsAny(u[len("data:text/javascript,"):], "() \n\"{}") {
		t.Fatalf("URL keeps characters that end a URL in a trace: %s", u)
	}
	short := u[:40] + "......" + u[len(u)-20:]
	for _, trace := range []string{
		"TypeError: bad 1\n    at f (" + u + ":1:23)\n    at " + u + ":2:1",
		"TypeError: bad 1\n    at f (" + short + ":1:23)",
		"    at main (file:///h/sandbox/bootstrap-1.js:10:2)",
	} {
		got := cleanText(trace, "file:///h/sandbox/bootstrap-1.js", nil)
		if strings.Contains(got, "data:") || strings.Contains(got, "file://") || !strings.Contains(got, "code.ts:") && !strings.Contains(got, "conductor:bootstrap") {
			t.Errorf("cleanText(%q) = %q", trace, got)
		}
	}
}
