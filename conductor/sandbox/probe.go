package sandbox

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// probeKernelLayer says whether a new runner proves its kernel layer on
// this machine before serving: on macOS (Seatbelt) and Windows (the
// low-integrity token and labels), whose layers this project's CI cannot
// execute, one execution of probeCode runs under it first. Should the layer
// stop Deno from running there, confinement "auto" goes on without it
// (and says so once) instead of failing every execution; "require" refuses
// to start. On Windows, where confining reads (winaccess.go) is the part
// least proven, a failed probe is first tried again with reads left to
// Deno's checks and the rest of the layer kept (under "require" too: the
// layer it required before reads were confined still holds, and the
// warning says what does not). Linux's Landlock is executed by every
// test, so it is not probed (the tests turn the probe on to test it).
var probeKernelLayer = runtime.GOOS == "darwin" || runtime.GOOS == "windows"

// probeTimeout bounds the probe's one execution, booting included. A probe
// that runs out of time proves nothing either way, so the layer stays.
const probeTimeout = 2 * time.Minute

// errLayerBroken is a probe's finding: the kernel layer stops Deno.
type errLayerBroken struct{ why string }

func (e *errLayerBroken) Error() string { return e.why }

// probeCode answers 2 once it has listed its working folder (the
// workspace) when the policy lets code read it: the first thing most code
// does with a grant, and what a layer that confines reads (Windows'
// access entries) must let through.
const probeCode = `if (Deno.permissions.querySync({ name: "read", path: "." }).state === "granted") Array.from(Deno.readDirSync("."));
1 + 1`

// probe runs probeCode in r and reports an *errLayerBroken when the
// confined process did not answer 2 for any reason but time.
func (r *Runner) probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	res, err := r.Run(ctx, Job{Code: probeCode, Timeout: probeTimeout})
	switch {
	case err != nil:
		return &errLayerBroken{err.Error()}
	case res.Status == "success" && res.ReturnValue == float64(2):
		return nil
	case res.Error != nil && (res.Error.Type == KindTimeout || ctx.Err() != nil):
		r.warn(fmt.Sprintf("the check of kernel confinement (%s) ran out of time; it stays on", r.env.Confinement))
		return nil
	case res.Error != nil:
		return &errLayerBroken{fmt.Sprintf("%s: %s", res.Error.Type, firstLine(res.Error.Message))}
	}
	return &errLayerBroken{fmt.Sprintf("1 + 1 gave %v", res.ReturnValue)}
}

// newProbed is New with the kernel layer proven first (probeKernelLayer).
func newProbed(ctx context.Context, p config.Policy, opts Options) (*Runner, error) {
	r, err := newRunner(ctx, p, opts)
	if err != nil || !r.env.Confined || !probeKernelLayer {
		return r, err
	}
	perr := r.probe(ctx)
	if perr == nil {
		return r, nil
	}
	layer := r.env.Confinement
	r.Stop()
	_ = releaseKernel(r.env.Spec)
	if runtime.GOOS == "windows" && readsConfined(r.env.Spec) && opts.brokenReads == "" {
		// Confining reads is the newest part of Windows' layer: should it
		// alone stop Deno, keep the rest (labels, token, job) and say so.
		opts.brokenReads = fmt.Sprintf("reads outside the grants are left to Deno's checks: confining them stops Deno from running on this machine (%s)", perr)
		if r2, err := newProbed(ctx, p, opts); err == nil {
			if r2.env.Confined { // else it said why it has no layer at all
				r2.warn("kernel confinement: " + opts.brokenReads)
			}
			return r2, nil
		}
		opts.brokenReads = ""
	}
	if p.Confinement == config.ConfineRequire {
		return nil, fmt.Errorf("%s=require, but kernel confinement (%s) stops Deno from running on this machine (%s)", config.EnvConfinement, layer, perr)
	}
	opts.brokenLayer = fmt.Sprintf("%s stops Deno from running on this machine (%s); only Deno's own permission checks apply", layer, perr)
	return newRunner(ctx, p, opts)
}

// firstLine is s up to its first line break.
func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
