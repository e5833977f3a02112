package testenv

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// Wheel is a pure-Python wheel built in the test.
type Wheel struct {
	Name, Version string // the distribution, as in its file name (my_pkg, 1.0.0)
	Data          []byte
}

// File is the wheel's file name.
func (w Wheel) File() string { return w.Name + "-" + w.Version + "-py3-none-any.whl" }

// BuildWheel makes a pure-Python wheel of distribution name at version
// holding the given module files (path → source), with the METADATA, WHEEL
// and RECORD files pip and Pyodide read.
func BuildWheel(t testing.TB, name, version string, modules map[string]string) Wheel {
	t.Helper()
	info := name + "-" + version + ".dist-info/"
	files := map[string]string{
		info + "METADATA": fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\n", strings.ReplaceAll(name, "_", "-"), version),
		info + "WHEEL":    "Wheel-Version: 1.0\nGenerator: conductor-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
	}
	for k, v := range modules {
		files[k] = v
	}
	names := make([]string, 0, len(files))
	for k := range files {
		names = append(names, k)
	}
	sort.Strings(names)
	var record strings.Builder
	for _, k := range names {
		sum := sha256.Sum256([]byte(files[k]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", k, base64.RawURLEncoding.EncodeToString(sum[:]), len(files[k]))
	}
	fmt.Fprintf(&record, "%sRECORD,,\n", info)
	files[info+"RECORD"] = record.String()
	names = append(names, info+"RECORD")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, k := range names {
		f, err := zw.Create(k)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(files[k]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return Wheel{Name: name, Version: version, Data: buf.Bytes()}
}

// PythonIndex serves wheels as a PEP 503 simple index (/<name>/ lists each
// file with its #sha256=) and, under /pyodide/, as a flat folder of files
// (how Pyodide's own packages are laid out). A wheel whose Data was changed
// after its digest was taken is served changed: set tampered to the wheels
// whose listed digest must not match. It returns the index URL, the Pyodide
// folder URL and a counter of file downloads.
func PythonIndex(t testing.TB, wheels []Wheel, tampered map[string]bool) (index, pyodide string, downloads *atomic.Int64) {
	t.Helper()
	downloads = &atomic.Int64{}
	byName := map[string][]Wheel{}
	byFile := map[string]Wheel{}
	for _, w := range wheels {
		n := strings.ToLower(strings.ReplaceAll(w.Name, "_", "-"))
		byName[n] = append(byName[n], w)
		byFile[w.File()] = w
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p := strings.Trim(r.URL.Path, "/")
		file := strings.TrimPrefix(strings.TrimPrefix(p, "pyodide/"), "files/")
		if w, ok := byFile[file]; ok && (strings.HasPrefix(p, "pyodide/") || strings.HasPrefix(p, "files/")) {
			downloads.Add(1)
			data := w.Data
			if tampered[w.File()] {
				data = append(bytes.Clone(data), '!')
			}
			rw.Write(data)
			return
		}
		ws, ok := byName[p]
		if !ok {
			http.NotFound(rw, r)
			return
		}
		fmt.Fprint(rw, "<!DOCTYPE html><html><body>\n")
		for _, w := range ws {
			sum := sha256.Sum256(w.Data)
			fmt.Fprintf(rw, "<a href=\"../files/%s#sha256=%s\">%s</a><br>\n", w.File(), hex.EncodeToString(sum[:]), w.File())
		}
		fmt.Fprint(rw, "</body></html>\n")
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", srv.URL + "/pyodide/", downloads
}
