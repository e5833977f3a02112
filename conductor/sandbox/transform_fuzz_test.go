package sandbox

import (
	"strings"
	"testing"
)

// FuzzCompile checks that the last-expression rewrite never turns valid code
// into invalid code: whatever compiles on its own also compiles rewritten.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		"const x = 5 + 3; x", "console.log('a;b'); 42", "for (;;) { break }\n\"done\"",
		"a\n-1", "f\n(2)", "let i = 0\ni++\ni", "({\n a: 1,\n})", "x /* ; */ y", "`a\n${1}\n`",
		"/re;/g.test('x')", "if (a) b\nelse c", "label: for (;;) break label", "class A {}\nnew A()",
		"async function f() {}\nawait f()", "let a = 1, b = 2\na, b", "x ?? y", "a\n++b",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if _, ok := transformModule(code); !ok {
			return
		}
		p, err := Compile(code, allowAll)
		if err != nil && !strings.Contains(err.Error(), "not allowed") {
			t.Fatalf("valid code failed to compile: %v\n%q", err, code)
		}
		if p != nil {
			if _, ok := transform(p.JS); !ok {
				t.Fatalf("compiled code does not parse:\n%s", p.JS)
			}
		}
	})
}
