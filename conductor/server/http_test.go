package server

import (
	"os"
	"path/filepath"
	"testing"
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
	st, _ := os.Stat(TokenPath(home))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
}
