package sandbox

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// npmRegistryVars are the variables naming the npm registry; the install
// step and the sandbox must agree on them, since Deno looks packages up in
// the cache under the registry's host.
var npmRegistryVars = []string{"NPM_CONFIG_REGISTRY", "npm_config_registry"}

// registryNpmrc returns the registry settings of the user's .npmrc (the
// file the install step reads), without anything else: no tokens, no
// passwords. The sandbox gets this copy, so that a mirror configured there
// is where it looks for packages too, and credentials never reach it.
// Written here because only two keys are kept ("registry" and
// "@scope:registry") and an INI library would parse much more than that.
func registryNpmrc(getenv func(string) string) []byte {
	home := getenv(homeVar)
	if home == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(home, ".npmrc"))
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") || strings.Contains(v, "${") {
			continue
		}
		if k == "registry" || (strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry")) {
			out.WriteString(k + "=" + v + "\n")
		}
	}
	return out.Bytes()
}

// npmHome stores content as .npmrc in a folder of dir named by its hash
// (so a running sandbox's file never changes under it) and returns the
// folder: the sandbox's HOME, where Deno looks for it.
func npmHome(dir string, content []byte) (string, error) {
	sum := sha256.Sum256(content)
	home := filepath.Join(dir, "npmrc-"+hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", err
	}
	return home, fsx.WriteOnce(filepath.Join(home, ".npmrc"), content)
}
