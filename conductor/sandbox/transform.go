package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// ResolveFunc decides what an import specifier becomes: the specifier to
// import instead, or an error refusing it.
type ResolveFunc func(specifier string) (string, error)

// Program is user code made ready to run: plain JavaScript (an ES module)
// whose last expression, if any, is its default export.
type Program struct {
	JS string
	// Imports are the specifiers the code imports, after resolution.
	Imports []string
}

// CodeError is a problem found in the code before it runs.
type CodeError struct {
	Kind    ErrorKind // KindSyntax or KindDependency
	Message string
}

func (e *CodeError) Error() string { return e.Message }

// Compile parses TypeScript/JavaScript with a real parser (esbuild), strips
// types, resolves every static and literal dynamic import through resolve,
// and turns the value of the final expression statement into the module's
// default export. Syntax errors name line and column of the user's code.
func Compile(code string, resolve ResolveFunc) (*Program, error) {
	var imports []string
	var refused []string
	plugin := api.Plugin{
		Name: "conductor-imports",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				if a.Kind == api.ResolveEntryPoint {
					return api.OnResolveResult{}, nil
				}
				to, err := resolve(a.Path)
				if err != nil {
					refused = append(refused, err.Error())
					return api.OnResolveResult{Path: a.Path, External: true}, nil
				}
				imports = append(imports, to)
				return api.OnResolveResult{Path: to, External: true}, nil
			})
		},
	}
	res := api.Build(api.BuildOptions{
		Stdin: &api.StdinOptions{
			Contents:   code,
			Sourcefile: "code.ts",
			Loader:     api.LoaderTS,
		},
		Bundle:      true,
		Write:       false,
		Format:      api.FormatESModule,
		Platform:    api.PlatformNeutral,
		Target:      api.ESNext,
		TreeShaking: api.TreeShakingFalse,
		Charset:     api.CharsetUTF8,
		LogLevel:    api.LogLevelSilent,
		Plugins:     []api.Plugin{plugin},
		// Keep type-only-looking imports: an import with side effects must
		// still be checked against the allowlist at run time.
		TsconfigRaw: `{"compilerOptions":{"verbatimModuleSyntax":false}}`,
	})
	if len(res.Errors) > 0 {
		return nil, &CodeError{Kind: KindSyntax, Message: formatMessages(res.Errors)}
	}
	if len(refused) > 0 {
		return nil, &CodeError{Kind: KindDependency, Message: strings.Join(dedupe(refused), "\n")}
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("compile: esbuild produced %d outputs", len(res.OutputFiles))
	}
	out, err := exportLastExpression(res.OutputFiles[0].Contents)
	if err != nil {
		return nil, err
	}
	return &Program{JS: string(out), Imports: dedupe(imports)}, nil
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

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// exportLastExpression rewrites esbuild's output so that the final top-level
// expression statement becomes `export default (<expr>);`.
//
// esbuild prints every top-level statement starting at column 0. The parser
// tells whether the last statement is an expression; to find where it starts,
// candidate line starts are tried from the end until the prefix and suffix
// each parse, and the suffix is exactly one expression statement.
func exportLastExpression(src []byte) ([]byte, error) {
	all, err := parseModule(src)
	if err != nil {
		// esbuild accepted it; a gap in the second parser must not block the
		// run. Run it as is: the value is simply not captured.
		return src, nil
	}
	if len(all) == 0 {
		return src, nil
	}
	for _, st := range all {
		if ex, ok := st.(*js.ExportStmt); ok && ex.Default {
			return src, nil // the code exports its own default
		}
	}
	if _, ok := all[len(all)-1].(*js.ExprStmt); !ok {
		return src, nil
	}
	trimmed := bytes.TrimRight(src, " \t\r\n")
	for i := len(trimmed) - 1; i >= 0; i-- {
		if i != 0 && trimmed[i-1] != '\n' {
			continue
		}
		if c := trimmed[i]; c == ' ' || c == '\t' || c == '\n' {
			continue
		}
		suffix := trimmed[i:]
		stmts, err := parseModule(suffix)
		if err != nil || len(stmts) != 1 {
			continue
		}
		if _, ok := stmts[0].(*js.ExprStmt); !ok {
			continue
		}
		prefix := trimmed[:i]
		pre, err := parseModule(prefix)
		if err != nil || len(pre)+1 != len(all) {
			continue
		}
		expr := bytes.TrimRight(suffix, " \t\r\n;")
		var out bytes.Buffer
		out.Write(prefix)
		out.WriteString("export default (\n")
		out.Write(expr)
		out.WriteString("\n);\n")
		return out.Bytes(), nil
	}
	return src, nil
}

func parseModule(src []byte) (stmts []js.IStmt, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("parser panic")
		}
	}()
	ast, err := js.Parse(parse.NewInputBytes(bytes.Clone(src)), js.Options{})
	if err != nil {
		return nil, err
	}
	for _, st := range ast.List {
		if _, empty := st.(*js.EmptyStmt); empty {
			continue
		}
		stmts = append(stmts, st)
	}
	return stmts, nil
}
