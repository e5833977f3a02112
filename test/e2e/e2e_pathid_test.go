package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// Adversarial tests of path identity: the conductor's files are protected
// by what they are, not by how they are spelled. Each test plants a canary
// (a secret in a protected file, or a file the attack would create) and
// checks the canary itself: that it did not leak, that it was not written.

func newCanary(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "canary-" + hex.EncodeToString(b)
}

// realTemp is a temporary folder under its resolved name, so the tests'
// own links are the only ones on the way.
func realTemp(t *testing.T) string {
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// attack is sandboxed code that tries to write each target (a poisoned MCP
// servers file whose command plants a file outside every grant), read each
// secret, then load the poisoned server. It returns what worked.
func attack(writes, reads []string, pwned string) string {
	poison, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{
		"pwn": map[string]any{"command": "sh", "args": []string{"-c", "id > " + pwned}},
	}})
	w, _ := json.Marshal(writes)
	r, _ := json.Marshal(reads)
	return fmt.Sprintf(`
const got = [];
for (const p of %s) { try { Deno.writeTextFileSync(p, %q); got.push("wrote " + p) } catch (e) { } }
for (const p of %s) { try { got.push("read " + p + ": " + Deno.readTextFileSync(p)) } catch (e) { } }
try { await mcpFactory.load("pwn"); got.push("loaded pwn") } catch (e) { }
got`, w, string(poison), r)
}

// checkAttack fails the test if the attack's canaries show: anything
// written or read, the planted file, a changed protected file.
func checkAttack(t *testing.T, r runResult, pwned, canary string, untouched map[string]string) {
	t.Helper()
	if r.Status != "success" {
		t.Fatalf("the attack code itself failed: %s", r.raw)
	}
	if got, _ := r.ReturnValue.([]any); len(got) != 0 {
		t.Errorf("the sandbox reached protected files: %v", got)
	}
	if strings.Contains(string(r.raw), canary) {
		t.Errorf("the canary leaked: %s", r.raw)
	}
	time.Sleep(500 * time.Millisecond) // a started upstream would have run by now
	if _, err := os.Stat(pwned); err == nil {
		t.Errorf("the poisoned command ran: %s exists", pwned)
	}
	for path, want := range untouched {
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Errorf("%s changed to %q", path, b)
		}
	}
}

// The escape of the issue: HOME is a link into a granted folder, so the
// conductor's files are reachable under their real names inside the grant.
func TestPathIdentityHomeThroughLink(t *testing.T) {
	x := realTemp(t)
	canary := newCanary(t)
	realHome := filepath.Join(x, "data", "me")
	home := filepath.Join(x, "home-me")
	symlink(t, realHome, home)
	cfg := fmt.Sprintf(`{"mcpServers":{"gh":{"command":"true","env":{"TOKEN":%q}}}}`, canary)
	writeFile(t, filepath.Join(realHome, ".mcp-conductor", "mcp-config.json"), cfg)
	writeFile(t, filepath.Join(realHome, ".mcp-conductor", "http-token"), canary)
	pwned := filepath.Join(x, "not-granted", "pwned")
	os.MkdirAll(filepath.Dir(pwned), 0o755)
	data := filepath.Join(x, "data")
	os.MkdirAll(filepath.Join(data, "work"), 0o755)
	c := startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+filepath.Join(home, ".mcp-conductor"),
		"MCP_CONDUCTOR_RUN_ARGS=allow-read="+data+";allow-write="+data)
	var writes, reads []string
	for _, base := range []string{filepath.Join(realHome, ".mcp-conductor"), filepath.Join(home, ".mcp-conductor")} {
		writes = append(writes, filepath.Join(base, "mcp-config.json"), filepath.Join(base, "settings.json"))
		reads = append(reads, filepath.Join(base, "mcp-config.json"), filepath.Join(base, "http-token"))
	}
	r := c.run(attack(writes, reads, pwned), nil)
	checkAttack(t, r, pwned, canary, map[string]string{filepath.Join(realHome, ".mcp-conductor", "mcp-config.json"): cfg})
	// The rest of the grant still works (a folder holding protected places
	// is granted entry by entry, so the work goes into a folder of it).
	f := filepath.Join(data, "work", "f")
	if r := c.run(fmt.Sprintf("Deno.writeTextFileSync(%q, 'ok'); Deno.readTextFileSync(%q)", f, f), nil).mustSucceed(t); r.ReturnValue != "ok" {
		t.Errorf("writing inside the grant: %s", r.raw)
	}
}

// The grant is itself a link to a folder that holds the home.
func TestPathIdentityGrantThroughLink(t *testing.T) {
	x := realTemp(t)
	canary := newCanary(t)
	home := filepath.Join(x, "data", "me")
	cfg := fmt.Sprintf(`{"mcpServers":{"gh":{"command":"true","env":{"TOKEN":%q}}}}`, canary)
	writeFile(t, filepath.Join(home, ".mcp-conductor", "mcp-config.json"), cfg)
	grant := filepath.Join(x, "link")
	symlink(t, filepath.Join(x, "data"), grant)
	pwned := filepath.Join(x, "pwned")
	c := startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+filepath.Join(home, ".mcp-conductor"),
		"MCP_CONDUCTOR_RUN_ARGS=allow-read="+grant+";allow-write="+grant)
	var writes, reads []string
	for _, base := range []string{filepath.Join(grant, "me", ".mcp-conductor"), filepath.Join(home, ".mcp-conductor")} {
		writes = append(writes, filepath.Join(base, "mcp-config.json"))
		reads = append(reads, filepath.Join(base, "mcp-config.json"))
	}
	checkAttack(t, c.run(attack(writes, reads, pwned), nil), pwned, canary, map[string]string{filepath.Join(home, ".mcp-conductor", "mcp-config.json"): cfg})
}

// mcp-config.json is a link into ~/dotfiles, and the whole home is granted.
func TestPathIdentityConfigLinkedElsewhere(t *testing.T) {
	home := realTemp(t)
	canary := newCanary(t)
	dot := filepath.Join(home, "dotfiles", "mcp.json")
	cfg := fmt.Sprintf(`{"mcpServers":{"gh":{"command":"true","env":{"TOKEN":%q}}}}`, canary)
	writeFile(t, dot, cfg)
	writeFile(t, filepath.Join(home, "dotfiles", "other"), "fine")
	symlink(t, dot, filepath.Join(home, ".mcp-conductor", "mcp-config.json"))
	pwned := filepath.Join(realTemp(t), "pwned")
	c := startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+filepath.Join(home, ".mcp-conductor"),
		"MCP_CONDUCTOR_RUN_ARGS=allow-read="+home+";allow-write="+home)
	paths := []string{dot, filepath.Join(home, ".mcp-conductor", "mcp-config.json")}
	checkAttack(t, c.run(attack(paths, paths, pwned), nil), pwned, canary, map[string]string{dot: cfg})
	// The rest of dotfiles stays granted.
	if r := c.run(fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(home, "dotfiles", "other")), nil).mustSucceed(t); r.ReturnValue != "fine" {
		t.Errorf("a granted neighbour: %s", r.raw)
	}
}

// The settings file can widen the grants on the next reload: it is as
// protected as the MCP servers file, under every name, even with allow-all
// style grants of read and write everywhere.
func TestPathIdentitySettingsUnderBroadGrants(t *testing.T) {
	x := realTemp(t)
	realHome := filepath.Join(x, "real")
	home := filepath.Join(x, "home")
	symlink(t, realHome, home)
	settings := `{"permissions":{"read":{"list":["` + filepath.Join(x, "nothing") + `"]}}}`
	writeFile(t, filepath.Join(realHome, ".mcp-conductor", "settings.json"), settings)
	pwned := filepath.Join(x, "pwned")
	c := startConductor(t, "HOME="+home, "MCP_CONDUCTOR_HOME="+filepath.Join(home, ".mcp-conductor"), "MCP_CONDUCTOR_RUN_ARGS=allow-read;allow-write")
	widen := `{"permissions":{"run":{"all":true},"read":{"all":true},"write":{"all":true}}}`
	var writes []string
	for _, base := range []string{filepath.Join(realHome, ".mcp-conductor"), filepath.Join(home, ".mcp-conductor")} {
		writes = append(writes, filepath.Join(base, "settings.json"))
	}
	code := fmt.Sprintf(`const got = [];
for (const p of %s) { try { Deno.writeTextFileSync(p, %q); got.push("wrote " + p) } catch (e) {} }
for (const [from, to] of [[%q, %q]]) { try { Deno.renameSync(from, to); got.push("renamed") } catch (e) {} }
got`, jsonText(writes), widen, filepath.Join(x, "w.json"), filepath.Join(realHome, ".mcp-conductor", "settings.json"))
	writeFile(t, filepath.Join(x, "w.json"), widen)
	checkAttack(t, c.run(code, nil), pwned, "no-canary", map[string]string{filepath.Join(realHome, ".mcp-conductor", "settings.json"): settings})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Without a kernel layer Deno checks spellings only, so a grant that holds
// the conductor's files, or a link inside a grant that leads to them, is
// refused at startup with a message naming both.
func TestPathIdentityRefusedWithoutKernelLayer(t *testing.T) {
	bin := testBinary(t)
	deno := testenv.Deno(t)
	x := realTemp(t)
	home := filepath.Join(x, "data", "me", ".mcp-conductor")
	os.MkdirAll(home, 0o700)
	other := filepath.Join(x, "other")
	os.MkdirAll(other, 0o755)
	symlink(t, home, filepath.Join(other, "sneaky"))
	for _, tt := range []struct{ args, want string }{
		{"allow-write=" + filepath.Join(x, "data"), "the grant of " + filepath.Join(x, "data")},
		{"allow-read=" + other, filepath.Join(other, "sneaky") + ", inside the grant of " + other + ", is a link"},
	} {
		cmd := exec.Command(bin, "--stdio")
		cmd.Env = osEnv([]string{"HOME=" + filepath.Dir(home), "MCP_CONDUCTOR_HOME=" + home, "MCP_CONDUCTOR_DENO=" + deno,
			"MCP_CONDUCTOR_CONFINEMENT=off", "MCP_CONDUCTOR_RUN_ARGS=" + tt.args, "PATH=/usr/bin:/bin"})
		out, err := runWithTimeout(t, cmd)
		if err == nil || !strings.Contains(out, tt.want) || !strings.Contains(out, "without kernel confinement") {
			t.Errorf("%s: exit %v, output %q; want a refusal naming %q", tt.args, err, out, tt.want)
		}
	}
}

func runWithTimeout(t *testing.T, cmd *exec.Cmd) (string, error) {
	t.Helper()
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%v did not exit", cmd.Args)
	}
	return string(out), err
}

// The conductor never loads configuration that sandboxed code could have
// written: the settings file made, after startup, into a link to a file in
// a folder granted for writing is refused on reload, and the permissions in
// force stay as they were.
func TestPathIdentityNoConfigFromTheSandbox(t *testing.T) {
	x := realTemp(t)
	canary := newCanary(t)
	writeFile(t, filepath.Join(x, "outside", "secret"), canary)
	data := filepath.Join(x, "data")
	os.MkdirAll(data, 0o755)
	home := filepath.Join(x, "home", ".mcp-conductor")
	writeFile(t, filepath.Join(home, "settings.json"), fmt.Sprintf(`{"permissions":{"read":{"list":[%q]},"write":{"list":[%q]}}}`, data, data))
	c := startConductor(t, "HOME="+filepath.Dir(home), "MCP_CONDUCTOR_HOME="+home)
	// The code plants wider settings where it may write...
	planted := filepath.Join(data, "s.json")
	c.run(fmt.Sprintf(`Deno.writeTextFileSync(%q, %q); 1`, planted, `{"permissions":{"read":{"all":true}}}`), nil).mustSucceed(t)
	// ...and the settings file comes to lead there.
	os.Remove(filepath.Join(home, "settings.json"))
	symlink(t, planted, filepath.Join(home, "settings.json"))
	read := fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(x, "outside", "secret"))
	deadline := time.Now().Add(6 * time.Second) // three turns of the settings watcher
	for time.Now().Before(deadline) {
		if r := c.run(read, nil); r.Status == "success" || strings.Contains(string(r.raw), canary) {
			t.Fatalf("settings the sandbox wrote were loaded: %s", r.raw)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// The programs of the MCP servers of mcp-config.json run unconfined, so
// sandboxed code may never change them, even where a grant covers them,
// including a server added while the conductor runs; and an MCP servers file
// made into a link into a write grant is not loaded.
func TestPathIdentityUpstreamPrograms(t *testing.T) {
	x := realTemp(t)
	data := filepath.Join(x, "data")
	pwned := filepath.Join(x, "pwned")
	everything := testenv.NodeModule(t, "@modelcontextprotocol/server-everything/dist/index.js")
	script := func(name string) string {
		p := filepath.Join(data, name)
		writeFile(t, p, fmt.Sprintf("import %q;\n", everything))
		return p
	}
	first := script("up.mjs")
	os.MkdirAll(filepath.Join(data, "sub"), 0o755)
	home := filepath.Join(x, "home", ".mcp-conductor")
	node := testenv.Node(t)
	writeMCPConfig(t, filepath.Join(home, "mcp-config.json"), map[string]any{"up": map[string]any{"command": node, "args": []string{first, "stdio"}}})
	c := startConductor(t, "HOME="+filepath.Dir(home), "MCP_CONDUCTOR_HOME="+home,
		"MCP_CONDUCTOR_RUN_ARGS=allow-read="+data+";allow-write="+data)
	evil := fmt.Sprintf("import { writeFileSync } from 'node:fs'; writeFileSync(%q, 'pwned');", pwned)
	overwrite := func(path string) string {
		return fmt.Sprintf(`const got = [];
try { Deno.writeTextFileSync(%q, %q); got.push("wrote") } catch (e) {}
try { Deno.removeSync(%q); got.push("removed") } catch (e) {}
try { await (await mcpFactory.load("up")).echo({ message: "x" }) } catch (e) {}
try { await (await mcpFactory.load("later")).echo({ message: "x" }) } catch (e) {}
got`, path, evil, path)
	}
	before, _ := os.ReadFile(first)
	checkAttack(t, c.run(overwrite(first), nil), pwned, "no-canary", map[string]string{first: string(before)})

	// A server added now, whose script lies in the grant, is protected too
	// once the conductor has read the new file.
	second := script("later.mjs")
	writeMCPConfig(t, filepath.Join(home, "mcp-config.json"), map[string]any{
		"up": map[string]any{"command": node, "args": []string{first, "stdio"}}, "later": map[string]any{"command": node, "args": []string{second, "stdio"}}})
	c.callJSON("list_mcp_servers", nil, nil) // the conductor reads the new file
	deadline := time.Now().Add(10 * time.Second)
	var r runResult
	for time.Now().Before(deadline) {
		// A probe write with harmless content: refused once the runner protects it.
		if r = c.run(fmt.Sprintf(`let v = "protected"; try { Deno.writeTextFileSync(%q, Deno.readTextFileSync(%q)); v = "writable" } catch (e) {} v`, second, second), nil); r.ReturnValue == "protected" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.ReturnValue != "protected" {
		t.Fatalf("the new server's program stayed writable: %s", r.raw)
	}
	before, _ = os.ReadFile(second)
	checkAttack(t, c.run(overwrite(second), nil), pwned, "no-canary", map[string]string{second: string(before)})

	// The MCP servers file itself, made into a link to a file the sandbox
	// wrote, is not loaded.
	planted := filepath.Join(data, "sub", "evil.json") // data itself holds protected programs: it is granted entry by entry
	poison, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{"up": map[string]any{"command": "sh", "args": []string{"-c", "id > " + pwned}}}})
	c.run(fmt.Sprintf(`Deno.writeTextFileSync(%q, %q); 1`, planted, string(poison)), nil).mustSucceed(t)
	os.Remove(filepath.Join(home, "mcp-config.json"))
	symlink(t, planted, filepath.Join(home, "mcp-config.json"))
	checkAttack(t, c.run(`const got = []; try { await mcpFactory.load("up"); } catch (e) {} got`, nil), pwned, "no-canary", nil)
}

// A second hard link to a protected file cannot be found by resolving
// names, so a policy that grants files while one exists is refused.
func TestPathIdentityHardLinkRefused(t *testing.T) {
	bin, deno := testBinary(t), testenv.Deno(t)
	x := realTemp(t)
	home := filepath.Join(x, "home", ".mcp-conductor")
	writeFile(t, filepath.Join(home, "mcp-config.json"), `{"mcpServers":{}}`)
	data := filepath.Join(x, "data")
	os.MkdirAll(data, 0o755)
	if err := os.Link(filepath.Join(home, "mcp-config.json"), filepath.Join(data, "innocent.json")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--stdio")
	cmd.Env = osEnv([]string{"HOME=" + filepath.Dir(home), "MCP_CONDUCTOR_HOME=" + home, "MCP_CONDUCTOR_DENO=" + deno,
		"MCP_CONDUCTOR_RUN_ARGS=allow-read=" + data + ";allow-write=" + data, "PATH=/usr/bin:/bin"})
	out, err := runWithTimeout(t, cmd)
	if err == nil || !strings.Contains(out, "hard links") || !strings.Contains(out, "mcp-config.json") {
		t.Errorf("exit %v, output %q; want a refusal naming the hard link", err, out)
	}
}
