package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// A process's private temporary folder joins the write grants as a value
// of the one flag Deno reads, never as a second flag (Deno keeps only the
// last occurrence of a flag).
func TestPrivateTmpJoinsTheGrants(t *testing.T) {
	for _, tt := range []struct {
		grants config.Grants
		want   []string
	}{
		{config.Grants{Allow: config.Permissions{Write: config.Grant{List: []string{"/w"}}}}, []string{"--allow-read=/t", "--allow-write=/w,/t"}},
		{config.Grants{Allow: config.Permissions{Read: config.Grant{All: true}, Write: config.Grant{List: []string{"/w"}}}}, []string{"--allow-read", "--allow-write=/w,/t"}},
	} {
		e := Env{grants: tt.grants}
		if got := e.flags(&runDir{tmp: "/t"}, "", skillSet{}); !slices.Equal(got, tt.want) {
			t.Errorf("flags(%+v) = %q, want %q", tt.grants, got, tt.want)
		}
		if got := e.flags(nil, "", skillSet{}); slices.Contains(got, "/t") || strings.Contains(strings.Join(got, " "), "/t") {
			t.Errorf("without a private folder: %q", got)
		}
	}
}

func TestRunDir(t *testing.T) {
	cache := t.TempDir()
	for _, d := range []string{"npm", "remote", "location_data", "gen"} {
		if err := os.Mkdir(filepath.Join(cache, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(cache, "dep_analysis_cache_v2"), []byte("db"), 0o600)
	r, err := newRunDir(cache, true, true)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(cache, "npm", "pkg.json"), []byte("{}"), 0o600)
	if r.denoDir == "" {
		t.Fatal("no private DENO_DIR: the links into the cache could not be made")
	}
	for name, shared := range map[string]bool{"npm": true, "remote": true, "location_data": false, "gen": false, "dep_analysis_cache_v2": false} {
		if got := leadsTo(filepath.Join(r.denoDir, name), filepath.Join(cache, name)); got != shared {
			t.Errorf("%s: leads into the cache %v, want %v", name, got, shared)
		}
	}
	if st, err := os.Stat(r.tmp); err != nil || !st.IsDir() {
		t.Errorf("tmp: %v", err)
	}
	if !strings.HasPrefix(filepath.Base(r.root), runDirPrefix+strconv.Itoa(os.Getpid())+"-") {
		t.Errorf("name %s does not carry the conductor's pid", r.root)
	}
	r.remove()
	if _, err := os.Stat(r.root); !os.IsNotExist(err) {
		t.Errorf("not removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cache, "npm", "pkg.json")); err != nil {
		t.Errorf("removing the private folder touched the cache (links are removed, not followed): %v", err)
	}
	// Under the kernel layer, without write grants, there is nothing to make.
	if r, err := newRunDir(cache, false, false); err != nil || r.root != "" {
		t.Errorf("a folder was made for nothing: %+v, %v", r, err)
	}
}

// A folder left by a conductor that died is removed at the next start; one
// of a running conductor is not.
func TestSweepRunDirs(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dead := filepath.Join(os.TempDir(), runDirPrefix+"999999999-x")
	alive := filepath.Join(os.TempDir(), runDirPrefix+strconv.Itoa(os.Getppid())+"-x")
	for _, d := range []string{dead, alive} {
		if err := os.MkdirAll(filepath.Join(d, "deno"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	sweepRunDirs()
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("a dead conductor's folder stayed: %v", err)
	}
	if _, err := os.Stat(alive); err != nil {
		t.Errorf("a live conductor's folder went: %v", err)
	}
}

// TestChildEnvDisablesTheEmitCache: the sandbox's Deno does not keep what
// it transpiles (see childEnv): under the kernel layer its cache is
// read-only, and each failed write of a skill's or a JSR module's
// JavaScript cost a retry loop of about 150 ms (go run ./bench -only skills).
func TestChildEnvDisablesTheEmitCache(t *testing.T) {
	home := t.TempDir()
	p, err := config.Load(func(k string) string {
		if k == config.EnvHome {
			return home
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if env := childEnv(p, func(string) string { return "" }); !slices.Contains(env, "DENO_EMIT_CACHE_MODE=disable") {
		t.Errorf("the sandbox's environment %q keeps Deno's emit cache", env)
	}
}
