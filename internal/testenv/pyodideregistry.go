package testenv

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// PyodideRegistry serves the real pyodide package (the named files, from
// node_modules) at version the way the npm registry lays packages out;
// with tamper, the tarball differs from the integrity it publishes. It
// returns the registry's URL (with a trailing slash).
func PyodideRegistry(t testing.TB, version string, files []string, tamper bool) string {
	t.Helper()
	src := Pyodide(t)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	gz.Close()
	tgz := buf.Bytes()
	sum := sha512.Sum512(tgz)
	if tamper {
		tgz[len(tgz)/2] ^= 1
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pyodide":
			json.NewEncoder(w).Encode(map[string]any{"name": "pyodide", "versions": map[string]any{version: map[string]any{
				"dist": map[string]string{"tarball": srv.URL + "/pyodide/-/pyodide-" + version + ".tgz", "integrity": "sha512-" + base64.StdEncoding.EncodeToString(sum[:])}}}})
		case "/pyodide/-/pyodide-" + version + ".tgz":
			w.Write(tgz)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}
