package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// The allowlist is exactly what can run: what the package cache holds
// beyond it (a package the administrator removed, another version of a
// dependency) cannot be imported however the code spells the import. The
// canary is the package's own code: a LEAK line on stdout, or its result.
func TestAllowlistIsExactlyWhatRuns(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	// First the administrator allows is-odd@^3 (which depends on
	// is-number@6) and is-number@^7: all three land in the cache.
	c := startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_ALLOWED_PACKAGES=npm:is-number@^7,npm:is-odd@^3")
	r := c.run("import isOdd from 'npm:is-odd'\nimport isNumber from 'npm:is-number'\nisOdd(3) && isNumber(1)", nil)
	if r.Status != "success" && strings.Contains(r.Error.Message, "installing") {
		t.Fatalf("install step failed (the npm registry must be reachable): %s", r.raw)
	}
	r.mustSucceed(t)
	c.session.Close()

	// Then is-number is removed from the allowlist; is-odd stays.
	c = startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+chome, "MCP_CONDUCTOR_ALLOWED_PACKAGES=npm:is-odd@^3",
		"MCP_CONDUCTOR_RUN_ARGS=allow-read=~/work;allow-write=~/work", "MCP_CONDUCTOR_WORKSPACE="+filepath.Join(home, "work"))
	if r := c.run("(await import('npm:is-odd')).default(3)", nil).mustSucceed(t); r.ReturnValue != true {
		t.Fatalf("the allowed package: %s", r.raw)
	}
	leak := `.then((m) => { console.log("LEAK", typeof m.default); return "LEAK" })`
	for _, tt := range []struct{ name, code string }{
		{"removed, computed", `await import([..."rebmun-si:mpn"].reverse().join(""))` + leak},
		{"removed, from a data: module", `await import("data:text/javascript," + encodeURIComponent("import n from 'npm:is-number@^7'; console.log('LEAK', n(1))"))`},
		{"removed, through eval", `await eval("import('npm:' + 'is-number@^7')")` + leak},
		{"removed, pinned exactly", `await import("npm:is-number@" + "7.0.0")` + leak},
		{"a cached dependency's version", `await import("npm:is-number@" + "6")` + leak},
		{"a dependency by its locked version", `await import("npm:is-number@6.0.0".slice(0))` + leak},
		{"from a module the code wrote", `Deno.writeTextFileSync("m.js", "import n from 'npm:is-number@6'; console.log('LEAK', n(1))");
await import(new URL("m.js", "file://" + Deno.cwd() + "/").href)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.code, nil).mustFail(t, "dependency")
			if strings.Contains(r.Stdout, "LEAK") || r.ReturnValue == "LEAK" {
				t.Fatalf("a package outside the allowlist ran: %s", r.raw)
			}
			if !strings.Contains(r.Error.Message, "allowlist") {
				t.Errorf("the refusal should say why: %s", r.Error.Message)
			}
		})
	}
	// A module the code wrote into the workspace can be imported (it runs
	// with the same permissions); only its package imports are checked.
	r = c.run(`Deno.writeTextFileSync("ok.js", "import isOdd from 'npm:is-odd'; export default isOdd(5)");
(await import(new URL("ok.js", "file://" + Deno.cwd() + "/").href)).default`, nil).mustSucceed(t)
	if r.ReturnValue != true {
		t.Errorf("a local module: %s", r.raw)
	}
}
