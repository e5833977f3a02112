package testmirror

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// DenoNPM serves deno as the npm registry serves Deno's platform package
// (@deno/linux-x64-glibc and the like: its metadata, then a tarball with
// package/deno and its sha512 integrity) and returns the registry's URL,
// for npm_config_registry. The first failFirst requests for the metadata
// are answered 503 Service Unavailable, as a registry that is down. The
// server stops when the test ends.
func DenoNPM(t testing.TB, deno string, failFirst int) string {
	t.Helper()
	out, err := exec.Command(deno, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", deno, err)
	}
	version := strings.Fields(string(out))[1]
	pkg := "@deno/linux-x64-glibc"
	if runtime.GOARCH == "arm64" {
		pkg = "@deno/linux-arm64-glibc"
	}
	tgz := tarball(t, deno)
	sum := sha512.Sum512(tgz)
	var failed atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, ".tgz"):
			w.Header().Set("Content-Length", strconv.Itoa(len(tgz)))
			w.Write(tgz)
		case strings.EqualFold(strings.TrimPrefix(r.URL.EscapedPath(), "/"), strings.Replace(pkg, "/", "%2f", 1)):
			if failed.Add(1) <= int64(failFirst) {
				http.Error(w, "the registry is down", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{
				"name": pkg, "dist-tags": map[string]string{"latest": version},
				"versions": map[string]any{version: map[string]any{"dist": map[string]string{
					"tarball":   srv.URL + "/" + pkg + "/-/deno-" + version + ".tgz",
					"integrity": "sha512-" + base64.StdEncoding.EncodeToString(sum[:]),
				}}},
			})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// tarball packs deno as package/deno, gzipped fast (it is large).
func tarball(t testing.TB, deno string) []byte {
	t.Helper()
	f, err := os.Open(deno)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "package/deno", Mode: 0o755, Size: fi.Size(), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
