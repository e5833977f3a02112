package deno

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// npmRegistry serves this system's @deno package metadata and tarball built
// from the real binary, and records the Authorization headers it saw.
func npmRegistry(t *testing.T, a artefacts, integrity string) (*httptest.Server, *[]string) {
	var auth []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		switch r.URL.EscapedPath() {
		case "/npm/@deno%2f" + short:
			json.NewEncoder(w).Encode(map[string]any{
				"dist-tags": map[string]string{"latest": a.version},
				"versions": map[string]any{a.version: map[string]any{"dist": map[string]string{
					"tarball":   srv.URL + "/npm/" + pkg + "/-/" + short + "-" + a.version + ".tgz",
					"integrity": integrity,
				}}},
			})
		case "/npm/" + pkg + "/-/" + short + "-" + a.version + ".tgz":
			w.Write(a.tgz)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &auth
}

func TestInstallFromNPMMirror(t *testing.T) {
	a := build(t)
	srv, auth := npmRegistry(t, a, "sha1-xxxx "+a.integrity)
	home := t.TempDir()
	// The mirror comes from ~/.npmrc, with its token, as npm would use it.
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("registry="+srv.URL+"/npm/\n"+strings.TrimPrefix(srv.URL, "http:")+"/npm/:_authToken=${MIRROR_TOKEN}\n"), 0o600)
	env := map[string]string{"HOME": home, "MIRROR_TOKEN": "tok"}
	rt, err := Install(context.Background(), InstallOptions{Home: filepath.Join(home, ".mcp-conductor"), Source: NPM, Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if rt.Version != a.version {
		t.Fatalf("installed %+v", rt)
	}
	if len(*auth) != 2 || (*auth)[0] != "Bearer tok" {
		t.Errorf("Authorization headers %q, want the .npmrc token", *auth)
	}
}

func TestInstallFromNPMIntegrityMismatch(t *testing.T) {
	a := build(t)
	srv, _ := npmRegistry(t, a, "sha512-"+strings.Repeat("A", 86)+"==")
	home := t.TempDir()
	_, err := Install(context.Background(), InstallOptions{Home: home, Source: NPM, BaseURL: srv.URL + "/npm", Getenv: emptyEnv})
	if err == nil || !strings.Contains(err.Error(), "integrity mismatch") || !strings.Contains(err.Error(), "nothing was installed") {
		t.Fatalf("err = %v", err)
	}
	assertNothingInstalled(t, home)
	_, err = Install(context.Background(), InstallOptions{Home: home, Source: NPM, BaseURL: srv.URL + "/npm", Version: "1.2.3", Getenv: emptyEnv})
	if err == nil || !strings.Contains(err.Error(), "no "+pkg+"@1.2.3") {
		t.Fatalf("unknown version: %v", err)
	}
}

func TestReadNPMConfig(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if c := readNPMConfig(get, home, ""); c.registry != defaultRegistry || c.token != "" {
		t.Fatalf("default %+v", c)
	}
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("; comment\nregistry = https://mirror.example/npm\n//mirror.example/npm/:_authToken=${T}\n//other.example/:_authToken=no\n"), 0o600)
	env["T"] = "secret"
	if c := readNPMConfig(get, home, ""); c.registry != "https://mirror.example/npm/" || c.token != "secret" {
		t.Fatalf(".npmrc: %+v", c)
	}
	env["npm_config_registry"] = "https://env.example/"
	if c := readNPMConfig(get, home, ""); c.registry != "https://env.example/" || c.token != "" {
		t.Fatalf("env: %+v", c)
	}
	if c := readNPMConfig(get, home, "https://flag.example"); c.registry != "https://flag.example/" {
		t.Fatalf("override: %+v", c)
	}
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("@deno:registry=https://scoped.example/\n"), 0o600)
	if c := readNPMConfig(get, home, ""); c.registry != "https://scoped.example/" {
		t.Fatalf("scoped: %+v", c)
	}
}

// TestInstallFromRealNPMRegistry downloads the latest Deno from the npm
// registry this machine is configured for. It runs in CI (CI=true) or when
// MCP_CONDUCTOR_TEST_NPM=1.
func TestInstallFromRealNPMRegistry(t *testing.T) {
	if os.Getenv("CI") != "true" && os.Getenv("MCP_CONDUCTOR_TEST_NPM") != "1" {
		t.Skip("network test: set CI=true or MCP_CONDUCTOR_TEST_NPM=1")
	}
	home := t.TempDir()
	var lastPct float64
	rt, err := Install(context.Background(), InstallOptions{Home: home, Source: NPM, Progress: func(p Progress) {
		if p.Phase == "download" {
			lastPct = p.Percent()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := probe(context.Background(), rt.Path, 30e9)
	if err != nil || v != rt.Version {
		t.Fatalf("installed %+v runs as %q (%v)", rt, v, err)
	}
	if lastPct != 100 {
		t.Errorf("last progress %.1f%%", lastPct)
	}
	found, err := Locate(context.Background(), LocateOptions{Home: home, Getenv: emptyEnv})
	if err != nil || found.Path != rt.Path {
		t.Fatalf("Locate: %+v %v", found, err)
	}
}
