package testenv

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// NPMPackage is the one package NPMRegistry serves; its default export is
// NPMPackageGreeting.
const (
	NPMPackage         = "conductor-mirror-hello"
	NPMPackageGreeting = "hello from the mirror"
)

// NPMRegistry serves NPMPackage@1.0.0 the way the npm registry lays
// packages out (packument and tarball, with integrity), built in the test.
// With a token, every request must carry "Authorization: Bearer <token>".
// It returns the registry's URL (with a trailing slash) and a counter of
// requests refused for a missing token.
func NPMRegistry(t testing.TB, token string) (string, *atomic.Int64) {
	t.Helper()
	tgz := npmTarball(t, map[string]string{
		"package/package.json": `{"name":"` + NPMPackage + `","version":"1.0.0","main":"index.js"}`,
		"package/index.js":     `module.exports = ` + jsonString(NPMPackageGreeting) + `;`,
	})
	sha1sum := sha1.Sum(tgz)
	sha512sum := sha512.Sum512(tgz)
	var refused atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
			refused.Add(1)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		switch strings.TrimPrefix(r.URL.Path, "/") {
		case NPMPackage:
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{
				"name":      NPMPackage,
				"dist-tags": map[string]string{"latest": "1.0.0"},
				"versions": map[string]any{"1.0.0": map[string]any{
					"name": NPMPackage, "version": "1.0.0", "main": "index.js",
					"dist": map[string]string{
						"tarball":   srv.URL + "/" + NPMPackage + "/-/" + NPMPackage + "-1.0.0.tgz",
						"shasum":    hex.EncodeToString(sha1sum[:]),
						"integrity": "sha512-" + base64.StdEncoding.EncodeToString(sha512sum[:]),
					},
				}},
			})
		case NPMPackage + "/-/" + NPMPackage + "-1.0.0.tgz":
			w.Write(tgz)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", &refused
}

func npmTarball(t testing.TB, files map[string]string) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, content := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(content))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
