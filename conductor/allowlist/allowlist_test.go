package allowlist

import (
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in      string
		want    Spec
		wantErr string
	}{
		{in: "npm:axios", want: Spec{NPM, "axios", "", ""}},
		{in: "npm:axios@^1", want: Spec{NPM, "axios", "^1", ""}},
		{in: "npm:lodash@^4/fp", want: Spec{NPM, "lodash", "^4", "/fp"}},
		{in: "npm:@duckdb/node-api@1.2.0", want: Spec{NPM, "@duckdb/node-api", "1.2.0", ""}},
		{in: "jsr:@std/path@^1/join", want: Spec{JSR, "@std/path", "^1", "/join"}},
		{in: "npm:chart.js@^4", want: Spec{NPM, "chart.js", "^4", ""}},
		{in: "lodash/fp", want: Spec{NPM, "lodash", "", "/fp"}},
		{in: "npm:/axios@1", want: Spec{NPM, "axios", "1", ""}},
		{in: "npm:axios@", wantErr: "malformed version"},
		{in: "npm:axios@1'; evil()", wantErr: "malformed"},
		{in: "npm:AXIOS", wantErr: "malformed package name"},
		{in: "npm:@scope", wantErr: "needs a name"},
		{in: "jsr:path", wantErr: "scoped"},
		{in: "npm:lodash/../../x", wantErr: "subpath"},
		{in: "https://evil.example/x.js", wantErr: "only npm: and jsr:"},
	}
	for _, tt := range tests {
		got, err := ParseSpec(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseSpec(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseAllowlist(t *testing.T) {
	al, err := Parse(" npm:axios@^1,npm:lodash@^4 ; jsr:@std/path@^1\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := al.String(), "jsr:@std/path@^1,npm:axios@^1,npm:lodash@^4"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for in, wantErr := range map[string]string{
		"npm:axios":                "pin a version",
		"npm:lodash@^4/fp":         "not a subpath",
		"npm:axios@^1,npm:axios@2": "listed twice",
		"https://x.example/a.js":   "only npm: and jsr:",
	} {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("Parse(%q) error = %v, want containing %q", in, err, wantErr)
		}
	}
	empty, err := Parse("")
	if err != nil || len(empty.Entries()) != 0 {
		t.Errorf("empty allowlist = %v, %v", empty.Entries(), err)
	}
}

func TestResolve(t *testing.T) {
	al, err := Parse("npm:axios@^1,npm:lodash@^4,jsr:@std/path@^1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "npm:axios", want: "npm:axios@^1"},
		{in: "axios", want: "npm:axios@^1"},
		{in: "npm:axios@^1", want: "npm:axios@^1"},
		{in: "npm:lodash/fp", want: "npm:lodash@^4/fp"},
		{in: "jsr:@std/path/join", want: "jsr:@std/path@^1/join"},
		{in: "node:fs", want: "node:fs"},
		{in: "npm:axios@0.21.1", wantErr: "pinned npm:axios@^1"},
		{in: "npm:left-pad", wantErr: "not in the allowlist"},
		{in: "https://deno.land/std/path/mod.ts", wantErr: "only allowlisted"},
		{in: "http://127.0.0.1:8000/x.js", wantErr: "only allowlisted"},
		{in: "file:///etc/passwd", wantErr: "only allowlisted"},
		{in: "./local.ts", wantErr: "only allowlisted"},
		{in: "/abs/local.ts", wantErr: "only allowlisted"},
		{in: "data:text/javascript,export default 1", wantErr: "only allowlisted"},
		{in: "npm:axios@1;rm", wantErr: "malformed"},
	}
	for _, tt := range tests {
		got, _, err := al.Resolve(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Resolve(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
