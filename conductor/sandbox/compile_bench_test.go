package sandbox

import "testing"

func BenchmarkCompileOnePlusOne(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Compile("1+1", allowAll); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileTypicalScript(b *testing.B) {
	code := `interface Row { name: string; n: number }
const rows: Row[] = [{ name: "a", n: 1 }, { name: "b", n: 2 }]
const total = rows.reduce((s, r) => s + r.n, 0)
console.log("total", total)
rows.map((r) => ({ ...r, share: r.n / total }))`
	for i := 0; i < b.N; i++ {
		if _, err := Compile(code, allowAll); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTransform(b *testing.B) {
	for i := 0; i < b.N; i++ {
		transform("1+1")
	}
}

func BenchmarkCheckImports(b *testing.B) {
	for i := 0; i < b.N; i++ {
		checkImports("1+1", allowAll)
	}
}

// A long script whose last statement is not an expression: every candidate
// statement start is rejected, which must stay cheap.
func BenchmarkCompileLongNoFinalExpression(b *testing.B) {
	code := longCode(1000) + "function done() { return 1 }"
	for i := 0; i < b.N; i++ {
		if _, err := Compile(code, allowAll); err != nil {
			b.Fatal(err)
		}
	}
}
