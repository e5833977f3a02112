// Package testmirror serves a real Deno binary the way dl.deno.land serves
// releases, so that tests install Deno for real without the network.
package testmirror

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Deno serves deno as the only, and latest, release of a mirror and
// returns the mirror's URL (runtime.InstallOptions.BaseURL). The server
// stops when the test ends.
func Deno(t testing.TB, deno string) string {
	t.Helper()
	out, err := exec.Command(deno, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", deno, err)
	}
	version := "v" + strings.Fields(string(out))[1]
	zipPath := filepath.Join(t.TempDir(), "deno.zip")
	if err := zipOne(zipPath, deno); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	target := "x86_64-unknown-linux-gnu"
	if runtime.GOARCH == "arm64" {
		target = "aarch64-unknown-linux-gnu"
	}
	asset := "/release/" + version + "/deno-" + target + ".zip"
	mux := http.NewServeMux()
	mux.HandleFunc("/release-latest.txt", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, version+"\n") })
	mux.HandleFunc(asset, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(data))) // as the real servers do: progress has a total
		w.Write(data)
	})
	mux.HandleFunc(asset+".sha256sum", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, hex.EncodeToString(sum[:])+"  deno-"+target+".zip\n")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// zipOne writes a zip holding file as "deno", stored (not compressed).
func zipOne(zipPath, file string) error {
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "deno", Method: zip.Store})
	if err != nil {
		return err
	}
	src, err := os.Open(file)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := io.Copy(w, src); err != nil {
		return err
	}
	return zw.Close()
}
