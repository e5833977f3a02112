package server

import (
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// The tool's description shows an import the model can copy: the example
// names the package under its own registry.
func TestDescriptionImportExample(t *testing.T) {
	for _, tt := range []struct{ allow, want, not string }{
		{"jsr:@std/path@^1", `import x from "jsr:@std/path"`, "npm:@std/path"},
		{"npm:zod@^3", `import x from "npm:zod"`, "jsr:"},
	} {
		al, err := allowlist.Parse(tt.allow)
		if err != nil {
			t.Fatal(err)
		}
		d := runDescription(config.Policy{Packages: al})
		if !strings.Contains(d, tt.want) || strings.Contains(d, tt.not) {
			t.Errorf("%s: description:\n%s", tt.allow, d)
		}
	}
}
