package sandbox

import (
	"fmt"
	"os"
	"os/exec"
)

// sandboxExec is macOS's program that runs a command under a Seatbelt
// profile (deprecated as an interface since 10.15, still what Chromium's
// helpers, Codex CLI and Anthropic's sandbox-runtime use).
const sandboxExec = "/usr/bin/sandbox-exec"

type platformConfinement struct{}

func (platformConfinement) Available() (bool, string) {
	if _, err := os.Stat(sandboxExec); err != nil {
		return false, "this Mac has no " + sandboxExec + "; only Deno's own permission checks apply"
	}
	return true, "Seatbelt (sandbox-exec)"
}

// startConfined starts cmd under spec's Seatbelt profile: sandbox-exec runs
// the profile, then execs Deno, which (and whatever it starts) stays under
// it. Resource limits: RLIMIT_DATA does not bound mappings on macOS, so only
// V8's heap cap applies there (see the Known limits).
func startConfined(cmd *exec.Cmd, spec LaunchSpec) error {
	if spec.Confine {
		args := append([]string{sandboxExec, "-p", seatbeltProfile(spec), cmd.Path}, cmd.Args[1:]...)
		cmd.Path, cmd.Args = sandboxExec, args
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	return nil
}
