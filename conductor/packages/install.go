package packages

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// InstallTimeout bounds one install step.
const InstallTimeout = 5 * time.Minute

// Installer fetches allowlisted packages into a cache folder that only the
// conductor writes. Installing runs `deno cache`, which downloads and
// resolves but executes no package code (no lifecycle scripts either); the
// sandbox later reads the cache with --cached-only.
type Installer struct {
	deno, cacheDir, workDir, jsrURL string

	mu   sync.Mutex
	done map[string]bool
}

// NewInstaller returns an Installer that caches into cacheDir, fetching JSR
// packages from jsrURL ("" = https://jsr.io/).
func NewInstaller(deno, cacheDir, workDir, jsrURL string) *Installer {
	return &Installer{deno: deno, cacheDir: cacheDir, workDir: workDir, jsrURL: jsrURL, done: map[string]bool{}}
}

// Ensure makes sure every spec is in the cache.
func (in *Installer) Ensure(ctx context.Context, specs []Spec) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	var missing []string
	seen := map[string]bool{}
	for _, s := range specs {
		s.Subpath = ""
		if k := s.String(); !in.done[k] && !seen[k] {
			seen[k] = true
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "mcp-conductor-install-")
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	defer os.RemoveAll(dir)
	var src strings.Builder
	for _, m := range missing {
		fmt.Fprintf(&src, "import %q;\n", m)
	}
	entry := filepath.Join(dir, "deps.ts")
	if err := os.WriteFile(entry, []byte(src.String()), 0o600); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, InstallTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, in.deno, "cache", "--quiet", "--no-config", "--no-lock", "--node-modules-dir=none", entry)
	cmd.Dir = dir
	cmd.Env = installEnv(in.cacheDir)
	if in.jsrURL != "" {
		cmd.Env = append(cmd.Env, "JSR_URL="+in.jsrURL)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 4000 {
			msg = msg[:4000] + "…"
		}
		return fmt.Errorf("installing %s failed (%v): %s", strings.Join(missing, ", "), err, msg)
	}
	for _, m := range missing {
		in.done[m] = true
	}
	return nil
}

// installEnv passes only what fetching needs: the cache, proxies and the npm
// registry setting.
func installEnv(cacheDir string) []string {
	env := []string{"DENO_DIR=" + cacheDir, "DENO_NO_UPDATE_CHECK=1", "DENO_NO_PACKAGE_JSON=1", "NO_COLOR=1"}
	for _, k := range []string{"HOME", "PATH", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
		"NPM_CONFIG_REGISTRY", "npm_config_registry", "DENO_CERT", "DENO_TLS_CA_STORE", "DENO_AUTH_TOKENS", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	// Deno reads neither SSL_CERT_FILE nor the system store by default; a
	// private CA (corporate proxy, npm mirror) set up for other tools should
	// work here too.
	if _, ok := os.LookupEnv("DENO_CERT"); !ok {
		if f := os.Getenv("SSL_CERT_FILE"); f != "" {
			env = append(env, "DENO_CERT="+f)
		}
	}
	if _, ok := os.LookupEnv("DENO_TLS_CA_STORE"); !ok {
		env = append(env, "DENO_TLS_CA_STORE=mozilla,system")
	}
	return env
}
