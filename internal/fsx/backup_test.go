package fsx

import (
	"os"
	"path/filepath"
	"testing"
)

func TestBackupsPruneWithSidecars(t *testing.T) {
	b := Backups{Dir: filepath.Join(t.TempDir(), "b"), Keep: 3, Sidecars: []string{".path"}}
	var saved []string
	for i := 0; i < 5; i++ {
		p, err := b.Save("mcp.json", []byte{byte('a' + i)})
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(p+".path", []byte("/orig"), 0o600)
		saved = append(saved, p)
	}
	if _, err := b.Save("other.json", []byte("x")); err != nil {
		t.Fatal(err)
	}
	list, err := b.List("mcp.json")
	if err != nil || len(list) != 3 || list[0] != saved[4] || list[2] != saved[2] {
		t.Fatalf("List = %v, %v; want the 3 newest of %v", list, err, saved)
	}
	for _, p := range saved[:2] {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was not pruned", p)
		}
		if _, err := os.Stat(p + ".path"); !os.IsNotExist(err) {
			t.Errorf("%s.path was not pruned with it", p)
		}
	}
	if b, _ := os.ReadFile(saved[4]); string(b) != "e" {
		t.Errorf("newest copy holds %q", b)
	}
	if all, _ := b.List(""); len(all) != 4 {
		t.Errorf("List(\"\") = %v", all)
	}
}
