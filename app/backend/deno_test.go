package backend

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// TestInstallDenoErrorsForPeople: a failed install says what failed in one
// sentence, without URLs, wrapped error chains or command-line flags.
func TestInstallDenoErrorsForPeople(t *testing.T) {
	f := newFixture(t, "")
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer failing.Close()
	corrupt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "release-latest.txt"):
			io.WriteString(w, "v2.9.9\n")
		case strings.HasSuffix(r.URL.Path, ".sha256sum"):
			io.WriteString(w, strings.Repeat("0", 64)+"  deno.zip\n")
		default:
			io.WriteString(w, "not the published file")
		}
	}))
	defer corrupt.Close()
	tests := []struct {
		name, source, base, want string
	}{
		{"refused", "", refused.URL, "Deno could not be installed from GitHub releases: the connection was refused."},
		{"not found", "github", missing.URL, "Deno could not be installed from GitHub releases: the server answered 404 Not Found."},
		{"corrupt", "", corrupt.URL, "did not match its published checksum, so nothing was installed."},
		{"npm registry down", "npm", failing.URL, "Deno could not be installed from the npm registry: the server answered 500 Internal Server Error."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.b.InstallDeno(t.Context(), InstallDenoOptions{Source: tt.source, BaseURL: tt.base}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q in it", err, tt.want)
			}
			for _, bad := range []string{"--", "http://", "\n", "download http", "try "} {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("%q has %q", err, bad)
				}
			}
		})
	}

	pinned := withDeno(t)
	if _, err := pinned.b.InstallDeno(t.Context(), InstallDenoOptions{BaseURL: refused.URL}, nil); err == nil ||
		!strings.Contains(err.Error(), config.EnvDeno+" chooses the Deno in use") {
		t.Errorf("install while %s is set: %v", config.EnvDeno, err)
	}
}
