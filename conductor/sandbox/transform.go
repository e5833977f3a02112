package sandbox

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// ImportCheck accepts an import specifier, or refuses it with an error.
// (Accepted packages are pinned at run time by the sandbox's import map.)
type ImportCheck func(specifier string) error

// Program is user code made ready to run: plain JavaScript (an ES module)
// whose last expression, if any, is its default export.
type Program struct {
	JS string
	// pos maps positions in JS back to the submitted code.
	pos *positions
}

// CodeError is a problem found in the code before it runs.
type CodeError struct {
	Kind    ErrorKind // KindSyntax or KindDependency
	Message string
}

func (e *CodeError) Error() string { return e.Message }

// Compile parses TypeScript/JavaScript with a real parser (esbuild), strips
// types, checks every static and literal dynamic import with check,
// and turns the value of the final expression statement into the module's
// default export. Syntax errors name line and column of the user's code.
func Compile(code string, check ImportCheck) (*Program, error) {
	// Compiled with a source map straight away: when the code has no final
	// expression, this is what runs.
	whole, wholeMap, ok := transformMapped(code + wholeSuffix)
	if !ok {
		return nil, &CodeError{Kind: KindSyntax, Message: syntaxErrors(code)}
	}
	if mayImport(code) {
		if err := checkImports(code, check); err != nil {
			return nil, err
		}
	}
	pre, expr, exprAt, exprJS, exprMap, ok := splitLastExpression(code, whole)
	// The text compiled, piece by piece, so that positions in what runs
	// lead back to the submitted code.
	var b layoutBuilder
	js, sm := whole, wholeMap
	switch {
	case !ok:
		b.copy(code, 0)
		b.insert(wholeSuffix)
	case pre == "":
		// The whole code is one expression, compiled already.
		b.insert("export default (\n")
		b.copy(expr, exprAt)
		b.insert("\n);")
		js, sm = exprJS, exprMap
	default:
		b.copy(pre, 0)
		b.insert("\n;")
		b.insert("export default (\n")
		b.copy(expr, exprAt)
		b.insert("\n);")
		if js, sm, ok = transformMapped(b.src.String()); !ok {
			return nil, fmt.Errorf("compile: rewritten code does not parse (please report this): %s", syntaxErrors(b.src.String()))
		}
	}
	return &Program{JS: js, pos: &positions{mapJSON: sm, src: b.src.String(), code: code, segs: b.segs}}, nil
}

// wholeSuffix makes esbuild read code as the ES module it runs as.
const wholeSuffix = "\n;export {};"

// layoutBuilder assembles the text to compile from pieces of the code and
// inserted wrapper text, remembering which is which.
type layoutBuilder struct {
	src  strings.Builder
	segs []segment
}

func (b *layoutBuilder) copy(s string, from int) {
	b.segs = append(b.segs, segment{at: b.src.Len(), n: len(s), from: from})
	b.src.WriteString(s)
}

func (b *layoutBuilder) insert(s string) {
	b.segs = append(b.segs, segment{at: b.src.Len(), n: len(s), from: -1})
	b.src.WriteString(s)
}

// mayImport reports whether code can contain an import at all: every form
// (import declarations, import(), export … from, require) spells one of
// these words, and keywords cannot be written with escapes.
func mayImport(code string) bool {
	return strings.Contains(code, "import") || strings.Contains(code, "from") || strings.Contains(code, "require")
}

func exportDefault(expr string) string { return "export default (\n" + expr + "\n);" }

// checkImports walks every import of the code (static, re-exports, and
// dynamic imports of string literals) through check. It uses esbuild's
// bundler with a plugin that sees each specifier and marks it external; the
// bundle itself is discarded. Imports are rewritten at run time by the
// sandbox's import map, which pins the same versions.
func checkImports(code string, check ImportCheck) error {
	return walkImports(code, tsconfig, check)
}

// walkImports is checkImports under the given tsconfig: with
// verbatimModuleSyntax, imports used only as types (or not at all) are
// walked too, as Deno loads them when it runs the source itself.
func walkImports(code, tsconfigRaw string, check ImportCheck) error {
	var refused []string
	plugin := api.Plugin{
		Name: "conductor-imports",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				if a.Kind == api.ResolveEntryPoint {
					return api.OnResolveResult{}, nil
				}
				if err := check(a.Path); err != nil {
					refused = append(refused, err.Error())
				}
				return api.OnResolveResult{Path: a.Path, External: true}, nil
			})
		},
	}
	res := api.Build(api.BuildOptions{
		Stdin:       &api.StdinOptions{Contents: code, Sourcefile: "code.ts", Loader: api.LoaderTS},
		Bundle:      true,
		Write:       false,
		Format:      api.FormatESModule,
		Platform:    api.PlatformNeutral,
		Target:      api.ESNext,
		TreeShaking: api.TreeShakingFalse,
		LogLevel:    api.LogLevelSilent,
		Plugins:     []api.Plugin{plugin},
		TsconfigRaw: tsconfigRaw,
	})
	if len(res.Errors) > 0 {
		return &CodeError{Kind: KindSyntax, Message: formatMessages(res.Errors)}
	}
	if len(refused) > 0 {
		return &CodeError{Kind: KindDependency, Message: strings.Join(slices.Compact(slices.Sorted(slices.Values(refused))), "\n")}
	}
	return nil
}

func syntaxErrors(code string) string {
	r := api.Transform(code+"\n;export {};", api.TransformOptions{Loader: api.LoaderTS, Format: api.FormatESModule, Target: api.ESNext, LogLevel: api.LogLevelSilent, Sourcefile: "code.ts"})
	return formatMessages(r.Errors)
}

func formatMessages(msgs []api.Message) string {
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteByte('\n')
		}
		if m.Location != nil {
			fmt.Fprintf(&b, "SyntaxError: %s (line %d, column %d)\n  %s", m.Text, m.Location.Line, m.Location.Column+1, m.Location.LineText)
		} else {
			fmt.Fprintf(&b, "SyntaxError: %s", m.Text)
		}
	}
	return b.String()
}

// splitLastExpression finds the code's final top-level statement and, when
// it is an expression statement, returns the code before it, the
// expression's text, and the expression compiled as a default export.
//
// esbuild is the parser: candidate statement starts (line starts, and points
// after ';' or '}') are tried from the end; a candidate is accepted when the
// prefix parses on its own, the rest parses as a single expression, and the
// program split there compiles to exactly what the whole program compiles
// to. That last check rules out splits that ASI would not make, such as
// "a\n-1" (which is "a - 1"). Compiling and comparing, rather than reading
// esbuild's output, matters because esbuild drops expression statements that
// fold to constants (NaN, -1, void 0), whose value would then be lost.
// exprAt is the expression's byte offset in code; when the whole code is
// the expression (prefix is empty), exprJS and exprMap are what runs.
func splitLastExpression(code, whole string) (prefix, expr string, exprAt int, exprJS string, exprMap []byte, ok bool) {
	trimmed := strings.TrimRight(code, " \t\r\n;")
	attempts, budget := 0, maxSplitBytes
	for _, q := range candidateStarts(trimmed) {
		lead := len(trimmed[q:]) - len(strings.TrimLeft(trimmed[q:], " \t\r\n"))
		suffix := strings.TrimSpace(trimmed[q:])
		if suffix == "" || !mayStartExpression(suffix) || continues(trimmed[:q]) || startsDeclaration(suffix) {
			continue
		}
		// Each attempt compiles the suffix: bound the work for long code
		// whose last statement is not an expression.
		if attempts++; attempts > maxSplitAttempts || budget < len(suffix) {
			break
		}
		budget -= len(suffix)
		pre := trimmed[:q]
		if strings.TrimSpace(pre) == "" {
			js, sm, ok := transformMapped(exportDefault(suffix))
			if !ok {
				continue
			}
			return "", suffix, q + lead, js, sm, true
		}
		if _, ok := transform(exportDefault(suffix)); !ok {
			continue
		}
		if _, ok := transformModule(pre); !ok {
			continue
		}
		if split, ok := transformModule(pre + "\n;" + suffix); !ok || dropEmpty(split) != dropEmpty(whole) {
			continue
		}
		return pre, suffix, q + lead, "", nil, true
	}
	return "", "", 0, "", nil, false
}

// maxSplitAttempts and maxSplitBytes bound the candidate statement starts
// compiled while looking for the last expression (their count, and the
// bytes of code compiled in all).
const (
	maxSplitAttempts = 256
	maxSplitBytes    = 4 << 20
)

// mayStartExpression reports whether an expression statement can begin with
// s's first character: closing brackets, separators and binary operators
// cannot, so such candidates are skipped without compiling.
func mayStartExpression(s string) bool {
	switch c := s[0]; {
	case c == '}' || c == ')' || c == ']' || c == ',' || c == ';' || c == ':' || c == '=' ||
		c == '>' || c == '*' || c == '%' || c == '&' || c == '|' || c == '^' || c == '?':
		return false
	case c == '.':
		return len(s) > 1 && s[1] >= '0' && s[1] <= '9' // .5
	}
	return true
}

// continues reports whether code before a candidate ends in a way that
// the next line must continue (a comma, an opening bracket, a binary
// operator): no statement can start there, so the candidate is skipped.
// Lines inside a long object or array literal are skipped this way.
func continues(pre string) bool {
	pre = strings.TrimRight(pre, " \t\r\n")
	if pre == "" {
		return false
	}
	switch c := pre[len(pre)-1]; c {
	case ',', '(', '[', '{', ':', '=', '*', '%', '&', '|', '^', '!', '~', '?', '<', '>', '.':
		return true
	case '+', '-': // but not a ++ or -- that ends a statement
		return len(pre) < 2 || pre[len(pre)-2] != c
	}
	return false
}

// dropEmpty removes top-level empty statements from printed code.
func dropEmpty(s string) string {
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l != ";" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// candidateStarts lists positions where a statement could start, last first.
func candidateStarts(s string) []int {
	var out []int
	for i := len(s) - 1; i >= 0; i-- {
		if i == 0 || s[i-1] == '\n' || s[i-1] == ';' || s[i-1] == '}' {
			out = append(out, i)
		}
	}
	return out
}

var declarationRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(function\b|async\s+function\b|class\b|abstract\s+class\b|let\b|const\b|var\b|using\b|await\s+using\b|import\s|import\{|export\b|enum\b|interface\b|type\s|declare\b|namespace\b|module\s|@|\{|if\b|for\b|while\b|do\b|switch\b|try\b|return\b|throw\b|break\b|continue\b)`)
})

// startsDeclaration reports whether a statement starting with s cannot be an
// expression statement (a declaration looks like an expression in parens).
func startsDeclaration(s string) bool { return declarationRe().MatchString(s) }

// transformModule compiles code as the ES module it runs as: strict mode,
// so sloppy-only code (a variable named let, with, octal literals) is a
// syntax error here rather than after the rewrite.
func transformModule(code string) (string, bool) {
	return transform(code + wholeSuffix)
}

// transform compiles TypeScript to JavaScript without resolving imports,
// returning the canonical printed program.
func transform(code string) (string, bool) {
	r := api.Transform(code, api.TransformOptions{
		Loader:      api.LoaderTS,
		Format:      api.FormatESModule,
		Target:      api.ESNext,
		LogLevel:    api.LogLevelSilent,
		TsconfigRaw: tsconfig,
	})
	return string(r.Code), len(r.Errors) == 0
}

// transformMapped is transform with a source map of the result.
func transformMapped(code string) (string, []byte, bool) {
	r := api.Transform(code, api.TransformOptions{
		Loader:      api.LoaderTS,
		Format:      api.FormatESModule,
		Target:      api.ESNext,
		LogLevel:    api.LogLevelSilent,
		TsconfigRaw: tsconfig,
		Sourcemap:   api.SourceMapExternal,
	})
	return string(r.Code), r.Map, len(r.Errors) == 0
}

const tsconfig = `{"compilerOptions":{"verbatimModuleSyntax":false}}`
