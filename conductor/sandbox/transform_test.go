package sandbox

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func allowAll(string) error { return nil }

func TestCompileCapturesLastExpression(t *testing.T) {
	tests := []struct {
		name, code string
		want       string // the default export's expression as esbuild prints it; "" = none
	}{
		{"semicolons", "const x = 5 + 3; x", "x"},
		{"semicolon in string", "console.log('a;b'); 42", "42"},
		{"for header", "for (;;) { break }\n\"done\"", `"done"`},
		{"for on one line", "for (;;) { break } \"done\"", `"done"`},
		{"multi-line object", "const a = 1\n;({\n  a,\n  b: 2,\n})", "{\n  a,\n  b: 2\n}"},
		{"ends with })", "[1, 2].map(x => {\n  return x * 2\n})", "[1, 2].map((x) => {"},
		{"imports", "import _ from 'npm:lodash@^4'\n_.sum([1, 2])", "_.sum([1, 2])"},
		{"no final expression", "const x = 1;", ""},
		{"top-level await", "await Promise.resolve(123)", "await Promise.resolve(123)"},
		{"type annotations", "const n: number = 2\nfunction f(a: number): number { return a }\nf(n) as number", "f(n)"},
		{"declaration last", "function f() { return 1 }", ""},
		{"trailing comment", "1 + 1 // two", "1 + 1"},
		{"own default export", "export default 7", "7"},
		{"NaN after statement", "let x = 1; NaN", "NaN"},
		{"negative literal", "const a = [1];\n-1", "-1"},
		{"no ASI split", "const a = 5\na\n-1", "a - 1"},
		{"undefined", "undefined", "void 0"},
		{"if statement last", "let r = 0\nif (r) { r }", ""},
		{"call across lines", "const f = (x: number) => x\nf\n(2)", "f(2)"},
		{"trailing semicolons", "const v = 3;\nv;;\n", "v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.code, allowAll)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			const export = "stdin_default = "
			i := strings.Index(p.JS, export)
			if tt.want == "" {
				if strings.Contains(p.JS, "stdin_default") {
					t.Fatalf("unexpected capture in:\n%s", p.JS)
				}
				return
			}
			if i < 0 || !strings.HasPrefix(p.JS[i+len(export):], tt.want) {
				t.Fatalf("want default export %q in:\n%s", tt.want, p.JS)
			}
		})
	}
}

// Long code is handled the same way: the capture is found, or rightly not.
func TestCompileLongCode(t *testing.T) {
	code := longCode(1000)
	for tail, want := range map[string]bool{
		"v999":                         true,
		"function done() { return 1 }": false,
		"if (v1) { console.log(v1) }":  false,
		"({\n  a: v1,\n  b: v2,\n})":   true,
	} {
		p, err := Compile(code+tail, allowAll)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(p.JS, "stdin_default ="); got != want {
			t.Errorf("%q: captured = %v, want %v", tail, got, want)
		}
	}
}

func longCode(lines int) string {
	var b strings.Builder
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&b, "const v%d = [%d, %d].map((x) => { return x * 2; });\n", i, i, i+1)
	}
	return b.String()
}

func TestCompileErrors(t *testing.T) {
	refuse := func(s string) error {
		if strings.HasPrefix(s, "npm:ok") {
			return nil
		}
		return errors.New("refused " + s)
	}
	tests := []struct {
		name, code string
		kind       ErrorKind
		contains   string
	}{
		{"syntax", "const x = {{{", KindSyntax, "line 1"},
		{"syntax line 2", "let a = 1\nlet b = )", KindSyntax, "line 2"},
		{"static import", "import x from 'npm:evil'\nx", KindDependency, "refused npm:evil"},
		{"dynamic import", "await import('https://x.example/a.js')", KindDependency, "refused https://x.example/a.js"},
		{"side-effect import", "import 'npm:evil2'", KindDependency, "refused npm:evil2"},
		{"export from", "export * from 'npm:evil4'", KindDependency, "refused npm:evil4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.code, refuse)
			var ce *CodeError
			if !errors.As(err, &ce) || ce.Kind != tt.kind || !strings.Contains(ce.Message, tt.contains) {
				t.Fatalf("Compile error = %v (%T), want %s containing %q", err, err, tt.kind, tt.contains)
			}
		})
	}
	// An import used only as a type is erased, as TypeScript does: nothing
	// of it reaches the runtime.
	p, err := Compile("import { T } from 'npm:typesonly'\nconst a: T = 1\na", refuse)
	if err != nil || strings.Contains(p.JS, "typesonly") {
		t.Fatalf("type-only import: %v\n%v", err, p)
	}
	// Every import, static and dynamic, reaches resolve.
	var seen []string
	_, err = Compile("import a from 'npm:ok'\nconst m = await import('npm:ok/sub')\na", func(s string) error {
		seen = append(seen, s)
		return refuse(s)
	})
	if err != nil || strings.Join(seen, " ") != "npm:ok npm:ok/sub" {
		t.Errorf("resolved %q, err %v", seen, err)
	}
}
