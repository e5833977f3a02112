//go:build linux

package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// With allow-run, the programs the code starts make system calls Deno never
// sees. The kernel layer holds them: no capabilities whoever runs the
// conductor, no private keys, no UDP or other non-TCP sockets without
// allow-net, no unix socket outside the grants. Canaries: a key file, a UDP
// listener and a unix socket listener that count what reaches them, a file
// whose owner must not change.
func TestRunGrantChildrenStayConfined(t *testing.T) {
	probeDir, probe := testenv.Probe(t)
	x := realTemp(t)
	work := filepath.Join(x, "work")
	writeFile(t, filepath.Join(work, "mine"), "x")

	canary := newCanary(t)
	key := ""
	if os.Geteuid() == 0 {
		key = filepath.Join("/etc/ssl/private", "mcp-conductor-test-"+canary[7:15]+".key")
		if err := os.WriteFile(key, []byte(canary), 0o640); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(key) })
	} else {
		t.Log("not root: the private-key canary needs root to plant (the kernel's own permissions keep a user out anyway)")
	}

	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { udp.Close() })
	var datagrams atomic.Int64
	go func() {
		buf := make([]byte, 64)
		for {
			if _, _, err := udp.ReadFrom(buf); err != nil {
				return
			}
			datagrams.Add(1)
		}
	}()
	sock := filepath.Join(realTemp(t), "s.sock")
	ul, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ul.Close() })
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ul.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()

	args := []string{"caps", "udp:" + udp.LocalAddr().String(), "unix:" + sock, "netlink", "chown:" + filepath.Join(work, "mine")}
	if key != "" {
		args = append(args, "read:"+key)
	}
	code := fmt.Sprintf(`const out = new Deno.Command(%q, { args: %s }).outputSync();
new TextDecoder().decode(out.stdout)`, probe, jsonText(args))
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+work,
		"MCP_CONDUCTOR_RUN_ARGS=allow-run="+probe+";allow-read="+probeDir+","+work+";allow-write="+work)
	r := c.run(code, nil).mustSucceed(t)
	out, _ := r.ReturnValue.(string)
	t.Logf("probe:\n%s", out)
	lines := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, _ := strings.Cut(l, ": ")
		lines[k] = v
	}
	if v := lines["caps"]; !strings.HasPrefix(v, "effective=0 permitted=0") || (os.Geteuid() == 0 && !strings.HasSuffix(v, "bounding=0")) {
		t.Errorf("the child kept capabilities: %s", v)
	}
	for _, a := range args[1:] {
		if strings.HasPrefix(lines[a], "ok") {
			t.Errorf("%s succeeded: %s", a, lines[a])
		}
	}
	if strings.Contains(string(r.raw), canary) {
		t.Errorf("the private key canary leaked: %s", r.raw)
	}
	if n := datagrams.Load(); n != 0 {
		t.Errorf("%d UDP datagrams reached the listener without allow-net", n)
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("%d connections reached a unix socket outside every grant", n)
	}
	if st, err := os.Stat(filepath.Join(work, "mine")); err != nil || st.Sys().(*syscall.Stat_t).Uid == 12345 {
		t.Errorf("the child changed a file's owner: %v", err)
	}

	// With allow-net the same child may send UDP: the filter refuses only
	// what the grants do not allow.
	c2 := startConductor(t, "MCP_CONDUCTOR_RUN_ARGS=allow-run="+probe+";allow-read="+probeDir+";allow-net")
	r = c2.run(fmt.Sprintf(`new TextDecoder().decode(new Deno.Command(%q, { args: ["udp:%s"] }).outputSync().stdout)`, probe, udp.LocalAddr()), nil).mustSucceed(t)
	if !strings.Contains(fmt.Sprint(r.ReturnValue), ": ok") {
		t.Errorf("UDP with allow-net: %s", r.raw)
	}
}

// TestConductorThreadsStayUnconfined: the sandbox's restrictions go on a
// thread that starts one Deno and ends; never on the conductor's main
// thread, which cannot end (it would stay restricted, in that Deno's
// Landlock domain, and that Deno could then signal the conductor: it did,
// under load, with allow-run). After many executions the main thread has
// neither no_new_privs nor a seccomp filter.
func TestConductorThreadsStayUnconfined(t *testing.T) {
	c := startConductor(t)
	status := "/proc/" + fmt.Sprint(c.cmd.Process.Pid) + "/status"
	for i := range 30 {
		c.run("1", nil).mustSucceed(t)
		b, err := os.ReadFile(status)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) == 2 && (f[0] == "NoNewPrivs:" || f[0] == "Seccomp:") && f[1] != "0" {
				t.Fatalf("after %d executions the conductor's main thread is restricted: %s", i+1, l)
			}
		}
	}
}
