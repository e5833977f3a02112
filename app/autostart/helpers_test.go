package autostart

import "testing"

func mustEnabled(t *testing.T, it *Item, want bool) {
	t.Helper()
	got, err := it.Enabled()
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Enabled() = %v, want %v", got, want)
	}
}
