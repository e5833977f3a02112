package deno

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// realDeno returns the real deno binary the tests package and serve: from
// $MCP_CONDUCTOR_DENO or node_modules (npm install at the repository root).
func realDeno(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(EnvDeno); p != "" {
		return p
	}
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "node_modules", "@deno", "linux-x64-glibc", "deno")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no deno binary: run npm install at the repository root or set " + EnvDeno)
	}
	t.Skip("no deno binary (npm install at the repository root)")
	return ""
}

// artefacts are a release zip and an npm tarball built from the real deno.
type artefacts struct {
	version   string
	zip       []byte
	zipSHA    string
	tgz       []byte
	integrity string
}

var (
	artOnce sync.Once
	art     artefacts
	artErr  error
)

func build(t *testing.T) artefacts {
	t.Helper()
	if runtime.GOARCH != "amd64" || runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("the packaged deno is the amd64 build for Linux or Windows")
	}
	deno := realDeno(t)
	artOnce.Do(func() {
		bin, err := os.ReadFile(deno)
		if err != nil {
			artErr = err
			return
		}
		if art.version, artErr = probe(context.Background(), deno, 30e9); artErr != nil {
			return
		}
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		h := &zip.FileHeader{Name: exe, Method: zip.Store}
		h.SetMode(0o755)
		w, _ := zw.CreateHeader(h)
		w.Write(bin)
		zw.Close()
		art.zip = zb.Bytes()
		sum := sha256.Sum256(art.zip)
		art.zipSHA = hex.EncodeToString(sum[:])

		var tb bytes.Buffer
		gz, _ := gzip.NewWriterLevel(&tb, gzip.NoCompression)
		tw := tar.NewWriter(gz)
		tw.WriteHeader(&tar.Header{Name: "package/package.json", Mode: 0o644, Size: 2})
		tw.Write([]byte("{}"))
		tw.WriteHeader(&tar.Header{Name: "package/" + exe, Mode: 0o755, Size: int64(len(bin))})
		tw.Write(bin)
		tw.Close()
		gz.Close()
		art.tgz = tb.Bytes()
		s512 := sha512.Sum512(art.tgz)
		art.integrity = "sha512-" + base64.StdEncoding.EncodeToString(s512[:])
	})
	if artErr != nil {
		t.Fatal(artErr)
	}
	return art
}

// exe is the name of deno's binary on this system, and asset its release
// zip; pkg its npm package, short its name without the scope.
var (
	exe   = exeNames()[0]
	asset = "deno-" + must(zipTarget(runtime.GOOS, runtime.GOARCH)) + ".zip"
	pkg   = must(npmPackage(runtime.GOOS, runtime.GOARCH))
	short = strings.TrimPrefix(pkg, "@deno/")
)

func must(s string, err error) string {
	if err != nil {
		return "unsupported"
	}
	return s
}

// releaseServer serves GitHub-like (/gh) and dl.deno.land-like (/dl)
// releases of a. Paths in fail answer with that status; truncate sends
// half of the zip.
type releaseServer struct {
	*httptest.Server
	a        artefacts
	sum      map[string]string // path → .sha256sum body override
	fail     map[string]int
	truncate bool
	hits     map[string]int
	mu       sync.Mutex
}

func newReleaseServer(t *testing.T, a artefacts) *releaseServer {
	s := &releaseServer{a: a, sum: map[string]string{}, fail: map[string]int{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	old1, old2 := githubReleases, dlDenoLand
	githubReleases, dlDenoLand = s.URL+"/gh", s.URL+"/dl"
	t.Cleanup(func() { githubReleases, dlDenoLand = old1, old2 })
	return s
}

func (s *releaseServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	code, sum := s.fail[r.URL.Path], s.sum[r.URL.Path]
	s.mu.Unlock()
	if code != 0 {
		http.Error(w, "nope", code)
		return
	}
	tag := "v" + s.a.version
	switch p := r.URL.Path; {
	case p == "/gh/latest":
		http.Redirect(w, r, "/gh/tag/"+tag, http.StatusFound)
	case p == "/dl/release-latest.txt":
		fmt.Fprintln(w, tag)
	case strings.HasSuffix(p, "/"+tag+"/"+asset+".sha256sum"):
		if sum == "" {
			sum = s.a.zipSHA + "  " + asset + "\n"
		}
		fmt.Fprint(w, sum)
	case strings.HasSuffix(p, "/"+tag+"/"+asset):
		w.Header().Set("Content-Length", strconv.Itoa(len(s.a.zip)))
		if s.truncate {
			w.Write(s.a.zip[:len(s.a.zip)/2])
			panic(http.ErrAbortHandler) // drop the connection mid-body
		}
		w.Write(s.a.zip)
	default:
		http.NotFound(w, r)
	}
}

// assertNothingInstalled checks that a failed install left no runtime and
// no temporary folder.
func assertNothingInstalled(t *testing.T, home string) {
	t.Helper()
	ents, _ := os.ReadDir(filepath.Join(home, "runtime"))
	for _, e := range ents {
		t.Errorf("left behind: %s", e.Name())
	}
}

func TestInstallFromGitHubLatest(t *testing.T) {
	a := build(t)
	srv := newReleaseServer(t, a)
	home := t.TempDir()
	var events []Progress
	rt, err := Install(context.Background(), InstallOptions{Home: home, Progress: func(p Progress) { events = append(events, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if rt.Version != a.version || rt.Path != filepath.Join(home, "runtime", a.version, exe) {
		t.Fatalf("installed %+v", rt)
	}
	if srv.hits["/dl/release-latest.txt"] != 0 {
		t.Error("fell back to dl.deno.land although GitHub answered")
	}
	if got := readState(home, "current"); got != a.version {
		t.Errorf("current = %q", got)
	}
	var last Progress
	phases := map[string]bool{}
	for _, e := range events {
		phases[e.Phase] = true
		if e.Phase == "download" {
			last = e
		}
	}
	for _, p := range []string{"resolve", "download", "verify", "extract", "done"} {
		if !phases[p] {
			t.Errorf("no %q progress event", p)
		}
	}
	if last.Done != int64(len(a.zip)) || last.Total != last.Done || last.Percent() != 100 || last.BytesPerSecond <= 0 {
		t.Errorf("last download event %+v", last)
	}
	found, err := Locate(context.Background(), LocateOptions{Home: home, Getenv: emptyEnv})
	if err != nil || found.Path != rt.Path || found.Source != "installed by mcp-conductor" {
		t.Fatalf("Locate after Install: %+v %v", found, err)
	}
}

func TestInstallFallsBackToDLDenoLand(t *testing.T) {
	a := build(t)
	srv := newReleaseServer(t, a)
	srv.fail["/gh/latest"] = http.StatusServiceUnavailable
	// Windows builds publish PowerShell's Format-List output.
	srv.sum["/dl/release/v"+a.version+"/"+asset+".sha256sum"] = "\r\nAlgorithm : SHA256\r\nHash      : " + strings.ToUpper(a.zipSHA) + "\r\nPath      : D:\\a\\deno\\deno\\target\\release\\" + asset + "\r\n\r\n"
	home := t.TempDir()
	rt, err := Install(context.Background(), InstallOptions{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	if srv.hits["/dl/release/v"+a.version+"/"+asset] != 1 || rt.Version != a.version {
		t.Fatalf("hits %v", srv.hits)
	}
}

func TestInstallFromMirror(t *testing.T) {
	a := build(t)
	srv := newReleaseServer(t, a)
	home := t.TempDir()
	if _, err := Install(context.Background(), InstallOptions{Home: home, BaseURL: srv.URL + "/dl/", Version: a.version}); err != nil {
		t.Fatal(err)
	}
	if srv.hits["/gh/latest"]+srv.hits["/dl/release-latest.txt"] != 0 {
		t.Error("resolved latest although a version was given")
	}
}

func TestInstallFailuresInstallNothing(t *testing.T) {
	a := build(t)
	zipPath := "/gh/download/v" + a.version + "/" + asset
	dlPath := "/dl/release/v" + a.version + "/" + asset
	cases := []struct {
		name  string
		setup func(s *releaseServer)
		opts  InstallOptions
		want  []string
	}{
		{"checksum mismatch", func(s *releaseServer) {
			s.sum[zipPath+".sha256sum"] = strings.Repeat("ab", 32) + "  " + asset
		}, InstallOptions{}, []string{"checksum mismatch", "nothing was installed", "run the command again"}},
		{"truncated", func(s *releaseServer) { s.truncate = true }, InstallOptions{}, []string{"unexpected EOF", "run the command again"}},
		{"server error", func(s *releaseServer) {
			s.fail[zipPath+".sha256sum"] = 500
			s.fail[dlPath+".sha256sum"] = 404
		}, InstallOptions{}, []string{"500 Internal Server Error", "404 Not Found", "could not download Deno"}},
		{"no checksum in file", func(s *releaseServer) { s.sum[zipPath+".sha256sum"] = "<html>" }, InstallOptions{}, []string{"no SHA-256"}},
		{"version mismatch", func(s *releaseServer) {}, InstallOptions{BaseURL: "MIRROR", Version: "2.0.0"}, []string{"404"}},
		{"unknown platform", func(s *releaseServer) {}, InstallOptions{GOOS: "plan9", GOARCH: "amd64"}, []string{"no build for plan9/amd64", EnvDeno}},
		{"unknown platform npm", func(s *releaseServer) {}, InstallOptions{GOOS: "linux", GOARCH: "riscv64", Source: NPM}, []string{"no npm package for linux/riscv64"}},
		{"bad version", func(s *releaseServer) {}, InstallOptions{Version: "latest"}, []string{"not X.Y.Z"}},
		{"bad source", func(s *releaseServer) {}, InstallOptions{Source: "ftp"}, []string{`unknown source "ftp"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newReleaseServer(t, a)
			tc.setup(srv)
			home := t.TempDir()
			o := tc.opts
			o.Home = home
			if o.BaseURL == "MIRROR" {
				o.BaseURL = srv.URL + "/dl"
			}
			_, err := Install(context.Background(), o)
			if err == nil {
				t.Fatal("Install succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			assertNothingInstalled(t, home)
		})
	}
}

// A binary that reports another version than the one asked for is refused.
func TestInstallChecksTheVersionItRuns(t *testing.T) {
	a := build(t)
	srv := newReleaseServer(t, a)
	other := a
	other.version = "2.0.0" // serve the real binary as v2.0.0
	srv.a = other
	home := t.TempDir()
	_, err := Install(context.Background(), InstallOptions{Home: home, Version: "2.0.0"})
	if err == nil || !strings.Contains(err.Error(), "reports version "+a.version+", not 2.0.0") {
		t.Fatalf("err = %v", err)
	}
	assertNothingInstalled(t, home)
}

func TestInstallKeepsPreviousForRollback(t *testing.T) {
	a := build(t)
	newReleaseServer(t, a)
	home := t.TempDir()
	deno := realDeno(t)
	for _, v := range []string{"2.0.0", "1.0.0"} { // earlier installs
		os.MkdirAll(filepath.Join(home, "runtime", v), 0o755)
		copyFile(t, deno, filepath.Join(home, "runtime", v, exe))
	}
	writeState(home, "current", "2.0.0")
	if _, err := Install(context.Background(), InstallOptions{Home: home}); err != nil {
		t.Fatal(err)
	}
	if cur, prev := readState(home, "current"), readState(home, "previous"); cur != a.version || prev != "2.0.0" {
		t.Fatalf("current %s previous %s", cur, prev)
	}
	if got := installedVersions(home); len(got) != 2 || got[0] != a.version || got[1] != "2.0.0" {
		t.Fatalf("kept %v, want the new and the previous version", got)
	}
	rt, err := Rollback(context.Background(), home)
	if err != nil || !strings.HasSuffix(rt.Path, filepath.Join("2.0.0", exe)) {
		t.Fatalf("Rollback: %+v %v", rt, err)
	}
	if cur := readState(home, "current"); cur != "2.0.0" {
		t.Fatalf("current after rollback %s", cur)
	}
	// Reinstalling the same version replaces it cleanly.
	if _, err := Install(context.Background(), InstallOptions{Home: home, Version: a.version}); err != nil {
		t.Fatal(err)
	}
	if got := installedVersions(home); got[0] != a.version {
		t.Fatalf("after reinstall: %v", got)
	}
}

func TestParseSHA256Sum(t *testing.T) {
	hex := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	ps := "\r\nAlgorithm : SHA256\r\nHash      : " + strings.ToUpper(hex) + "\r\nPath      : D:\\a\\x.zip\r\n"
	u16 := []byte{0xff, 0xfe}
	for _, r := range ps {
		u16 = append(u16, byte(r), 0)
	}
	for name, in := range map[string]string{"unix": hex + "  deno-x.zip\n", "powershell": ps, "utf16": string(u16)} {
		if got, err := parseSHA256Sum([]byte(in)); err != nil || got != hex {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
	if _, err := parseSHA256Sum([]byte("Not Found")); err == nil {
		t.Error("accepted a file with no hash")
	}
}

func TestZipTargets(t *testing.T) {
	for in, want := range map[string]string{
		"darwin/arm64": "aarch64-apple-darwin", "darwin/amd64": "x86_64-apple-darwin",
		"linux/amd64": "x86_64-unknown-linux-gnu", "linux/arm64": "aarch64-unknown-linux-gnu",
		"windows/amd64": "x86_64-pc-windows-msvc", "windows/arm64": "aarch64-pc-windows-msvc",
	} {
		os, arch, _ := strings.Cut(in, "/")
		if got, err := zipTarget(os, arch); got != want || err != nil {
			t.Errorf("%s: %s %v", in, got, err)
		}
		if _, err := npmPackage(os, arch); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
}

// copyFile copies an earlier install's binary into place (a copy: Windows
// makes no symbolic links without developer mode).
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
