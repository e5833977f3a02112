package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// locateDeno finds the Deno binary: the administrator's choice, else PATH,
// else ~/.deno/bin.
func locateDeno(ctx context.Context, p config.Policy) (string, error) {
	if p.Deno != "" {
		if st, err := os.Stat(p.Deno); err != nil || st.IsDir() {
			return "", fmt.Errorf("%s=%s: not a file", config.EnvDeno, p.Deno)
		}
		return p.Deno, nil
	}
	if path, err := exec.LookPath("deno"); err == nil {
		return filepath.Abs(path)
	}
	if h, err := os.UserHomeDir(); err == nil {
		cand := filepath.Join(h, ".deno", "bin", "deno")
		if _, err := os.Stat(cand); err == nil {
			return cand, nil
		}
	}
	return "", fmt.Errorf("deno not found (looked at %s, PATH and ~/.deno/bin); install it or set %s", config.EnvDeno, config.EnvDeno)
}
