package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1:47813": true, "localhost:1": true, "LOCALHOST": true, "[::1]:80": true, "127.9.9.9": true,
		"0.0.0.0:80": false, "192.168.1.2:80": false, "evil.example": false, "localhost.evil.example:80": false, "": false,
	} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestOriginAllowed(t *testing.T) {
	for origin, want := range map[string]bool{
		"http://localhost:3000": true, "http://127.0.0.1:47813": true, "https://[::1]": true, "https://app.example": true,
		"https://evil.example": false, "null": false, "file://": false, "http://localhost.evil.example": false,
	} {
		if got := originAllowed(origin, []string{"https://app.example"}); got != want {
			t.Errorf("originAllowed(%q) = %v, want %v", origin, got, want)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:0": true, "localhost:8080": true, "[::1]:1": true, ":8080": false, "0.0.0.0:1": false, "nonsense": false} {
		if err := CheckLoopback(addr); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", addr, err)
		}
	}
}

func TestLoadOrCreateToken(t *testing.T) {
	home := filepath.Join(t.TempDir(), "h")
	a, err := LoadOrCreateToken(home)
	if err != nil || len(a) != 64 {
		t.Fatalf("token %q, %v", a, err)
	}
	b, err := LoadOrCreateToken(home)
	if err != nil || a != b {
		t.Fatalf("token changed: %q %q %v", a, b, err)
	}
}

// TestTokenIsPrivate: the token file and the home are owner-only, as the
// system reports it (on Windows the access list: Go's mode bits say
// rw-rw-rw- there whoever may read the file), and a token an older version
// left readable is made private when it is loaded.
func TestTokenIsPrivate(t *testing.T) {
	home := filepath.Join(t.TempDir(), "h")
	if _, err := LoadOrCreateToken(home); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{home, TokenPath(home)} {
		if ok, err := fsx.IsPrivate(p); err != nil || !ok {
			t.Errorf("%s: private %v, %v", p, ok, err)
		}
	}
	old := filepath.Join(t.TempDir(), "old")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(TokenPath(old), []byte(strings.Repeat("ab", 32)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateToken(old); err != nil {
		t.Fatal(err)
	}
	if ok, err := fsx.IsPrivate(TokenPath(old)); err != nil || !ok {
		t.Errorf("an existing readable token stays readable: %v, %v", ok, err)
	}
}
