package e2e

import (
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// A private npm registry (NPM_CONFIG_REGISTRY, or an .npmrc with a token)
// works for the install step and for the sandbox alike, and the token never
// reaches the sandbox.
func TestNPMMirror(t *testing.T) {
	code := "import hello from 'npm:" + testenv.NPMPackage + "'\nhello"
	allow := "MCP_CONDUCTOR_ALLOWED_PACKAGES=npm:" + testenv.NPMPackage + "@^1"
	t.Run("NPM_CONFIG_REGISTRY", func(t *testing.T) {
		reg, _ := testenv.NPMRegistry(t, "")
		c := startConductor(t, allow, "NPM_CONFIG_REGISTRY="+reg)
		if r := c.run(code, nil).mustSucceed(t); r.ReturnValue != testenv.NPMPackageGreeting {
			t.Errorf("%s", r.raw)
		}
	})
	t.Run(".npmrc with a token", func(t *testing.T) {
		token := newCanary(t)
		reg, refused := testenv.NPMRegistry(t, token)
		u, _ := url.Parse(reg)
		home := t.TempDir()
		writeFile(t, filepath.Join(home, ".npmrc"), "registry="+reg+"\n//"+u.Host+"/:_authToken="+token+"\n")
		chome := filepath.Join(home, ".mcp-conductor")
		c := startConductor(t, allow, "HOME="+home, "MCP_CONDUCTOR_HOME="+chome)
		r := c.run(code, nil).mustSucceed(t)
		if r.ReturnValue != testenv.NPMPackageGreeting {
			t.Errorf("%s", r.raw)
		}
		if strings.Contains(string(r.raw), token) {
			t.Errorf("the token reached the result: %s", r.raw)
		}
		// The sandbox's copy of the settings has the registry, not the token.
		found := false
		filepath.WalkDir(filepath.Join(chome, "sandbox"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Name() == ".npmrc" {
				b, _ := os.ReadFile(p)
				found = strings.Contains(string(b), reg)
				if strings.Contains(string(b), token) {
					t.Errorf("%s holds the token", p)
				}
			}
			return nil
		})
		if !found {
			t.Errorf("no sandbox copy of the registry setting")
		}
		if refused.Load() != 0 {
			t.Logf("%d requests came without the token", refused.Load())
		}
	})
}
