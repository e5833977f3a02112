package fsx

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// elsewhere are the calls outside this package that rename or make
// temporary files on purpose, by file and call, each with why.
var elsewhere = map[string]string{
	"conductor/audit/audit.go os.Rename": "rotating the audit log to .1, under fsx.Lock: a move, not a write",
}

// TestFileSafetyLivesHere fails when code outside fsx renames files or
// makes temporary ones itself (os.Rename, os.CreateTemp): such code is a
// second, unreviewed copy of what WriteFrom and ReplaceDir do. Tests are
// not checked.
func TestFileSafetyLivesHere(t *testing.T) {
	root := filepath.Join("..", "..")
	unused := map[string]bool{}
	for k := range elsewhere {
		unused[k] = true
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == "internal/fsx", d.Name() == "node_modules", d.Name() == "testdata",
				rel != "." && strings.HasPrefix(d.Name(), "."):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Name != "os" || (sel.Sel.Name != "Rename" && sel.Sel.Name != "CreateTemp") {
				return true
			}
			key := rel + " os." + sel.Sel.Name
			if elsewhere[key] != "" {
				delete(unused, key)
				return true
			}
			t.Errorf("%s: os.%s outside fsx; use fsx.WriteFile, WriteFrom or ReplaceDir", fset.Position(sel.Pos()), sel.Sel.Name)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range unused {
		t.Errorf("elsewhere lists %s, which no longer exists", k)
	}
}
