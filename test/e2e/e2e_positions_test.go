package e2e

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// The position of a thrown error, as run_deno_code reports it, is where the
// error is in the submitted text: the same line and column Deno itself
// reports running that text from a file. A property over generated
// programs: TypeScript and JavaScript, with and without a final expression
// (which the conductor rewrites into a default export), wide characters
// before the error on its line, errors at top level and in functions.
func TestErrorPositionsPointIntoTheSubmittedCode(t *testing.T) {
	deno := testenv.Deno(t)
	c := startConductor(t)
	dir := t.TempDir()
	frame := regexp.MustCompile(`code\.(?:ts|js):(\d+):(\d+)`)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 40; i++ {
		code, ts := program(rng)
		name := "code.js"
		if ts {
			name = "code.ts"
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(deno, "run", "--no-prompt", "--no-config", file)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, _ := cmd.CombinedOutput()
		want := frame.FindStringSubmatch(string(out))
		if want == nil {
			t.Fatalf("program %d: Deno reported no position:\n%s\n---\n%s", i, code, out)
		}
		r := c.run(code, nil)
		if r.Error == nil {
			t.Fatalf("program %d did not fail:\n%s\n%s", i, code, r.raw)
		}
		got := frame.FindStringSubmatch(r.Error.Message)
		if got == nil || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("program %d: reported %v, Deno says %s:%s\n%s\n--- message:\n%s", i, got, want[1], want[2], code, r.Error.Message)
		}
		if strings.Contains(r.Error.Message, "data:") {
			t.Errorf("program %d: the internal URL leaked: %s", i, r.Error.Message)
		}
	}
}

// program generates a program that throws; ts says whether it uses
// TypeScript syntax.
func program(rng *rand.Rand) (string, bool) {
	ts := rng.IntN(2) == 0
	var lines []string
	pre := []string{
		`const a = 1;`, `let s = "héllo 🚀 wörld";`, `// a comment`, ``, `/* a block\n   comment */`,
		`const o = { k: [1, 2, 3], n: { m: 1 } };`, "const tpl = `two\nlines`;", `let p = 1; let q = 2;`,
		`function double(n) { return n * 2 }`,
	}
	tsPre := []string{`let x: number = 2;`, `type T = { a: number };`, `interface I { b: string }`, `const t = <T>(v: T): T => v;`, `enum E { A, B }`}
	used := map[string]bool{}
	for n := rng.IntN(6); n > 0; n-- {
		l := pre[rng.IntN(len(pre))]
		if ts && rng.IntN(3) == 0 {
			l = tsPre[rng.IntN(len(tsPre))]
		}
		if !used[l] || l == "" || strings.HasPrefix(l, "//") { // a declaration once
			used[l] = true
			lines = append(lines, l)
		}
	}
	indent := strings.Repeat(" ", rng.IntN(4))
	wide := []string{"", `const w = "🚀🚀"; `, `const é = 1; `}[rng.IntN(3)]
	throws := []string{
		`throw new Error("boom")`,
		`const z = null; z.prop.deeper`,
		`undefinedFunction()`,
		`const oo = { a: 1 }; oo.a.b.c`,
	}[rng.IntN(4)]
	switch rng.IntN(3) {
	case 0: // top level, last statement (an expression when it is one)
		lines = append(lines, indent+wide+throws)
	case 1: // in a function called by a final expression
		lines = append(lines, "function g() {", "  "+wide+throws, "}", indent+"g()")
	default: // in a function, then a final expression that is never reached
		lines = append(lines, "function h() {", "  "+wide+throws+";", "}", "h();", indent+"1 + 1")
	}
	return strings.Join(lines, "\n"), ts
}
