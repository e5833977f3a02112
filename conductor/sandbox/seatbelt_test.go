package sandbox

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of testdata/")

// base is what every macOS sandbox process gets: the system, Deno, the
// package cache, the conductor's own files for Deno, the private folder.
func seatbeltBase() LaunchSpec {
	return LaunchSpec{
		Confine:   true,
		ReadDirs:  append(append([]string(nil), "/usr/lib", "/System/Library", "/private/var/db/dyld"), "/Users/me/.mcp-conductor/cache/deno"),
		ReadFiles: []string{"/opt/homebrew/bin/deno", "/Users/me/.mcp-conductor/sandbox/bootstrap-1.js", "/Users/me/.mcp-conductor/sandbox/deno-2.lock", "/dev/urandom"},
		RWFiles:   []string{"/dev/null"},
		RWDirs:    []string{"/private/var/folders/xy/T/mcp-conductor-run-42-1/tmp"},
		Exec:      []string{"/opt/homebrew/bin/deno"},
		NoNet:     true,
		NoRead:    []string{"/Users/me/.mcp-conductor/mcp-config.json", "/Users/me/.mcp-conductor/settings.json", "/Users/me/.mcp-conductor/logs", "/Users/me/.mcp-conductor/sandbox"},
		NoWrite:   []string{"/Users/me/.mcp-conductor/mcp-config.json", "/Users/me/.mcp-conductor/settings.json", "/Users/me/.mcp-conductor/logs", "/Users/me/.mcp-conductor/sandbox", "/Users/me/.mcp-conductor/cache"},
	}
}

func TestSeatbeltProfiles(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*LaunchSpec)
	}{
		{"zero-permissions", func(*LaunchSpec) {}},
		{"home-granted", func(s *LaunchSpec) {
			// allow-read=~ and allow-write=~/work, resolved; the protected
			// places stay excluded from both.
			s.ReadRoots = []string{"/Users/me"}
			s.WriteRoots = []string{"/Users/me/work", "/private/tmp/out"}
		}},
		{"net-and-run", func(s *LaunchSpec) {
			s.NoNet = false
			s.Run = true
			s.Exec = append(s.Exec, "/usr/bin/git", "/Users/me/bin/tool \"q\"")
		}},
		{"run-everything", func(s *LaunchSpec) { s.Run, s.ExecAll = true, true }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := seatbeltBase()
			tt.edit(&spec)
			got := seatbeltProfile(spec)
			if strings.Count(got, "(") != strings.Count(got, ")") {
				t.Errorf("unbalanced parentheses:\n%s", got)
			}
			for _, p := range append(append(spec.ReadRoots, spec.WriteRoots...), spec.NoRead...) {
				if !strings.Contains(got, sbplString(p)) {
					t.Errorf("%s is not in the profile", p)
				}
			}
			if spec.NoNet && strings.Contains(got, "network-outbound") {
				t.Errorf("network without allow-net:\n%s", got)
			}
			if !spec.ExecAll && strings.Contains(got, "(allow process-exec)\n") {
				t.Errorf("every program may run:\n%s", got)
			}
			golden := filepath.Join("testdata", "seatbelt", tt.name+".sb")
			if *updateGolden {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestSeatbeltProfiles -update)", err)
			}
			if got != string(want) {
				t.Errorf("profile differs from %s:\n%s", golden, got)
			}
		})
	}
}

func TestSBPLString(t *testing.T) {
	if got := sbplString(`/a "b" \c`); got != `"/a \"b\" \\c"` {
		t.Errorf("sbplString = %s", got)
	}
}
