package skills

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func TestValidName(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"math", true}, {"a", true}, {"csv-tools_2", true}, {strings.Repeat("a", MaxName), true},
		{"", false}, {strings.Repeat("a", MaxName+1), false}, {"../x", false}, {"..", false}, {".hidden", false},
		{"/abs", false}, {`C:\x`, false}, {`a\b`, false}, {"a/b", false}, {"x.ts", false}, {"Math", false},
		{"1st", false}, {"-x", false}, {"a b", false}, {"a\x00", false}, {"é", false}, {"con", false}, {"nul", false},
		{"com1", false}, {"lpt9", false}, {"com", true}, {"com10", true}, {"console", true},
	} {
		if err := ValidName(tt.name); (err == nil) != tt.ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestNameOf(t *testing.T) {
	for _, tt := range []struct {
		spec, name string
		ok, bad    bool
	}{
		{"skills/math", "math", true, false},
		{"skills/../x", "", true, true},
		{"skills/a/b", "", true, true},
		{"skills/", "", true, true},
		{"npm:skills", "", false, false},
		{"./skills/x", "", false, false},
	} {
		name, ok, err := NameOf(tt.spec)
		if name != tt.name || ok != tt.ok || (err != nil) != tt.bad {
			t.Errorf("NameOf(%q) = %q, %v, %v", tt.spec, name, ok, err)
		}
	}
}

// TestDescribe reads signatures with the real Deno (deno doc).
func TestDescribe(t *testing.T) {
	deno := testenv.Deno(t)
	if _, err := os.Stat(deno); err != nil {
		testenv.Missing(t, "deno at %s", deno)
	}
	src := `import { z } from "npm:zod";
import type { Other } from "skills/other";
/** Sums. */
export function sum(...xs: number[]): number { return 0 }
export async function fetchAll<T>(urls: string[], init?: { retries: number }): Promise<T[]> { return [] }
export const pick = (o: Record<string, unknown>, k: "a" | "b"): unknown => o[k];
export function opt(a = 3, { x }: { x: string } = { x: "" }): void {}
export type Row = [string, number];
export class Table {}
export function usesImports(o: Other): typeof z { return z }
function hidden() {}
`
	got, err := Describe(context.Background(), deno, "t", src, []string{"npm:zod", "skills/other"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sum":         "function sum(...xs: number[]): number",
		"fetchAll":    "async function fetchAll<T>(urls: string[], init?: { retries: number }): Promise<T[]>",
		"pick":        `function pick(o: Record<string, unknown>, k: "a" | "b"): unknown`,
		"opt":         "function opt(a?: number, {...}?: { x: string }): void",
		"Row":         "type Row = [string, number]",
		"Table":       "class Table",
		"usesImports": "function usesImports(o: Other): typeof z",
	}
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.Name] = true
		if w, ok := want[e.Name]; ok && e.Signature != w {
			t.Errorf("%s: %q, want %q", e.Name, e.Signature, w)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("%s not exported: %+v", k, got)
		}
	}
	if seen["hidden"] {
		t.Error("a function not exported is listed")
	}
	if got[0].Doc != "Sums." {
		t.Errorf("doc: %+v", got[0])
	}

	_, err = Describe(context.Background(), deno, "bad", "export function f(a: number {\n}\n", nil)
	if err == nil || !strings.Contains(err.Error(), "skills/bad.ts:1:") {
		t.Errorf("a syntax error: %v", err)
	}
}

// TestFilesAreRegularFilesOnly: the sandbox is given exactly these files.
func TestFilesAreRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("export function f() {}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.ts")
	write("good.json")
	write("Bad.ts")
	write("not-ts.js")
	if err := os.Mkdir(filepath.Join(dir, "folder.ts"), 0o700); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink(filepath.Join(dir, "good.ts"), filepath.Join(dir, "link.ts")); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Store{Dir: dir}.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "good" {
		t.Errorf("files: %+v", files)
	}
	if files, err := (Store{Dir: filepath.Join(dir, "absent")}).Files(); err != nil || len(files) != 0 {
		t.Errorf("no folder: %v %v", files, err)
	}
}
