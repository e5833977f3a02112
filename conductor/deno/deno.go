// Package deno finds, downloads and installs the Deno runtime that runs
// the sandboxed code.
//
// [Locate] finds a usable deno (the administrator's MCP_CONDUCTOR_DENO, the
// copy this app installed, then the usual install locations, never relying
// on PATH alone since GUI-launched processes get a poor one). [Install]
// downloads an official build, verifies its published checksum and installs
// it atomically under <conductor home>/runtime/<version>/.
package deno

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// MinVersion is the oldest Deno accepted.
const MinVersion = "2.0.0"

// EnvDeno names the variable with which the administrator picks a deno.
const EnvDeno = "MCP_CONDUCTOR_DENO"

// Runtime is a usable deno binary.
type Runtime struct {
	// Path is the binary's absolute path.
	Path string
	// Version is what `deno --version` reports, e.g. "2.9.6".
	Version string
	// Source says where it was found, e.g. "MCP_CONDUCTOR_DENO",
	// "installed by mcp-conductor", "~/.deno/bin", "PATH", "Homebrew".
	Source string
}

// canonical returns a Deno version ("2.9.6", "v2.9.6", "2.1.0-rc.1") in the
// form golang.org/x/mod/semver compares ("v2.9.6"), or an error when it is
// not a full major.minor.patch version.
func canonical(s string) (string, error) {
	v := "v" + strings.TrimPrefix(strings.TrimSpace(s), "v")
	if !semver.IsValid(v) || semver.Canonical(v) != v {
		return "", fmt.Errorf("version %q is not X.Y.Z", s)
	}
	return v, nil
}

// older reports whether version a comes before b (prereleases before their
// release); a version that does not parse is older than any that does.
func older(a, b string) bool {
	va, errA := canonical(a)
	vb, errB := canonical(b)
	if errA != nil || errB != nil {
		return errA != nil && errB == nil
	}
	return semver.Compare(va, vb) < 0
}

// probe runs `path --version` and returns the version it reports.
func probe(ctx context.Context, path string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--version")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "DENO_NO_UPDATE_CHECK=1")
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if ctx.Err() == context.DeadlineExceeded {
		return "", fmt.Errorf("`%s --version` did not answer within %v", path, timeout)
	}
	if err != nil {
		return "", fmt.Errorf("`%s --version` failed: %w", path, err)
	}
	line, _, _ := bytes.Cut(out, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 2 || f[0] != "deno" {
		return "", fmt.Errorf("`%s --version` printed %q, not a deno version", path, line)
	}
	if _, err := canonical(f[1]); err != nil {
		return "", err
	}
	return f[1], nil
}
