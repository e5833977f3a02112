package backend

import (
	"context"
	"fmt"

	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

// PythonStatus is Python's state for the Overview.
type PythonStatus struct {
	// Enabled reports whether run_python_code can run now.
	Enabled bool `json:"enabled"`
	// Installed reports whether the Pyodide runtime is where the policy
	// looks for it; Version is its version, Path the folder.
	Installed bool   `json:"installed"`
	Version   string `json:"version"`
	Path      string `json:"path"`
	// Detail says, in words for people, why Python is off.
	Detail string `json:"detail"`
	// Warm counts the booted interpreters waiting for a run, of PoolSize;
	// IdleMB is the memory they hold (0 where the system does not say).
	Warm     int `json:"warm"`
	PoolSize int `json:"poolSize"`
	IdleMB   int `json:"idleMB"`
}

// PythonStatus reports Python's state under the policy in force.
func (b *Backend) PythonStatus() PythonStatus {
	var st PythonStatus
	p, err := b.policy()
	if err != nil {
		st.Detail = "The settings do not make a valid policy: " + err.Error()
		return st
	}
	st.Path, st.PoolSize = p.Pyodide, p.PythonPoolSize
	st.Version = deno.PyodidePackageVersion(p.Pyodide)
	st.Installed = st.Version != ""
	e, err := b.engine()
	if err != nil {
		st.Detail = "Python runs in the sandbox, which is not running: " + err.Error()
		return st
	}
	ps := e.Python()
	st.Enabled, st.Warm, st.IdleMB = ps.Enabled, ps.Warm, ps.IdleKB/1024
	switch {
	case ps.Enabled:
	case !p.Python:
		st.Detail = "Python is turned off in Permissions & packages."
	case !st.Installed:
		st.Detail = "Python's runtime (Pyodide) is not installed. Install it here."
	default:
		st.Detail = "Python cannot run: " + ps.Reason
	}
	return st
}

// ErrInstallingPython is returned by InstallPython while another install runs.
var ErrInstallingPython = fmt.Errorf("Python's runtime is being installed already")

// InstallPython downloads the pinned Pyodide from the npm registry (the
// user's npm configuration), verifies it and installs it into the
// conductor's home (deno.InstallPyodide), then switches the engine to it.
// Only one install runs at a time.
func (b *Backend) InstallPython(ctx context.Context, progress func(InstallProgress)) (PythonStatus, error) {
	b.mu.Lock()
	if b.installingPython {
		b.mu.Unlock()
		return b.PythonStatus(), ErrInstallingPython
	}
	b.installingPython = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.installingPython = false
		b.mu.Unlock()
	}()
	_, v, err := deno.InstallPyodide(ctx, deno.PyodideOptions{Home: b.home, Getenv: b.getenv, Progress: func(p deno.Progress) {
		if progress != nil {
			progress(InstallProgress{Phase: p.Phase, Done: p.Done, Total: p.Total, Percent: p.Percent(), BytesPerSecond: p.BytesPerSecond})
		}
	}})
	if err != nil {
		return b.PythonStatus(), fmt.Errorf("Python's runtime could not be installed: %w", err)
	}
	b.op.Lock()
	defer b.op.Unlock()
	if _, err := b.reloadOrStart(ctx); err != nil {
		return b.PythonStatus(), fmt.Errorf("Pyodide %s is installed, but the engine could not switch to it: %w", v, err)
	}
	return b.PythonStatus(), nil
}
