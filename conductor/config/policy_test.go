package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseRunArgs(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "", want: nil},
		{in: "allow-read=/a;allow-write=/a", want: []string{"--allow-read=/a", "--allow-write=/a"}},
		{in: "allow-read=/a,allow-write=/a", want: []string{"--allow-read=/a", "--allow-write=/a"}},
		{in: "allow-net=a.com,b.com", want: []string{"--allow-net=a.com,b.com"}},
		{in: "allow-net=a.com,b.com,allow-env=HOME", want: []string{"--allow-net=a.com,b.com", "--allow-env=HOME"}},
		{in: "--allow-net; allow-read=/x,/y", want: []string{"--allow-net", "--allow-read=/x,/y"}},
		{in: "allow-read=rel", want: []string{"--allow-read=/ws/rel"}},
		{in: "A", want: []string{"--allow-all"}},
		{in: "allow-everything", wantErr: "unknown permission flag"},
		{in: "--inspect", wantErr: "unknown permission flag"},
		{in: "allow-net,b.com", wantErr: "takes no list"},
		{in: "allow-read=", wantErr: "empty list"},
	}
	for _, tt := range tests {
		flags, err := ParseRunArgs(tt.in, "/ws")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseRunArgs(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		var got []string
		for _, f := range flags {
			got = append(got, f.Arg())
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRunArgs(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadDefaults(t *testing.T) {
	p, err := Load(env(map[string]string{EnvHome: "/h"}))
	if err != nil {
		t.Fatal(err)
	}
	if p.Workspace != "/h/workspace" || p.MCPConfig != "/h/mcp-config.json" || len(p.Flags) != 0 ||
		p.DefaultTimeout != 30*time.Second || p.MaxTimeout != 300*time.Second || p.MaxMemoryMB != 512 ||
		p.MaxOutputBytes != 1<<20 || p.Confinement != ConfineAuto || len(p.Packages.Entries()) != 0 {
		t.Errorf("defaults = %+v", p)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
	}{
		{EnvRunArgs, map[string]string{EnvRunArgs: "allow-all"}},
		{EnvRunArgs, map[string]string{EnvRunArgs: "bogus"}},
		{EnvDefaultTimeout, map[string]string{EnvDefaultTimeout: "abc"}},
		{EnvDefaultTimeout, map[string]string{EnvDefaultTimeout: "0"}},
		{EnvMaxTimeout, map[string]string{EnvMaxTimeout: "-5"}},
		{EnvDefaultTimeout, map[string]string{EnvDefaultTimeout: "9000", EnvMaxTimeout: "1000"}},
		{EnvAllowedPackages, map[string]string{EnvAllowedPackages: "npm:axios"}},
		{EnvMaxMemoryMB, map[string]string{EnvMaxMemoryMB: "lots"}},
		{EnvMaxOutputBytes, map[string]string{EnvMaxOutputBytes: "1"}},
		{EnvMaxConcurrency, map[string]string{EnvMaxConcurrency: "0"}},
		{EnvConfinement, map[string]string{EnvConfinement: "maybe"}},
		{EnvAllowAll, map[string]string{EnvAllowAll: "perhaps"}},
	} {
		tt.env[EnvHome] = "/h"
		_, err := Load(env(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("Load(%v) error = %v, want one naming %s", tt.env, err, tt.name)
		}
	}
	p, err := Load(env(map[string]string{EnvHome: "/h", EnvRunArgs: "allow-all", EnvAllowAll: "1"}))
	if err != nil || !GrantsOf(p.Flags).All {
		t.Errorf("allow-all with %s=1: %v", EnvAllowAll, err)
	}
}

func TestProtectedPaths(t *testing.T) {
	home := t.TempDir()
	p, err := Load(env(map[string]string{EnvHome: home, EnvDeno: "/opt/deno/deno"}))
	if err != nil {
		t.Fatal(err)
	}
	got := p.ProtectedPaths()
	for _, want := range []string{filepath.Join(home, "mcp-config.json"), filepath.Join(home, "logs"), "/opt/deno/deno"} {
		if !contains(got, want) {
			t.Errorf("ProtectedPaths() = %v, missing %s", got, want)
		}
	}
	if contains(got, p.Workspace) || contains(got, home) {
		t.Errorf("ProtectedPaths() = %v must not cover the workspace", got)
	}
	p.Workspace = "/elsewhere"
	if !contains(p.ProtectedPaths(), home) {
		t.Errorf("with the workspace outside, the whole home is protected")
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
