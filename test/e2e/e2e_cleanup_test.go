package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Stopping the server while its pool refills leaves no private folder
// behind; neither does a server killed outright, once another starts.
func TestNoTempFoldersLeftBehind(t *testing.T) {
	tmp := t.TempDir()
	ws := filepath.Join(t.TempDir(), "ws")
	for i := 0; i < 3; i++ {
		c := startConductor(t, "TMPDIR="+tmp, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-write="+ws, "MCP_CONDUCTOR_POOL_SIZE=4")
		c.run("Deno.writeTextFileSync(Deno.makeTempFileSync(), 'x'); 1", nil).mustSucceed(t)
		c.session.Close() // the pool is refilling now
		c.cmd.Wait()
	}
	if left := runDirs(t, tmp); len(left) != 0 {
		t.Errorf("left behind after a clean stop: %v", left)
	}
	// A killed server cannot clean up; the next one removes its folders.
	c := startConductor(t, "TMPDIR="+tmp, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-write="+ws, "MCP_CONDUCTOR_POOL_SIZE=2")
	c.run("1", nil).mustSucceed(t)
	// Its sandbox processes end when their input closes (or, on Windows,
	// with the Job Object the dead server held); the next server sweeps
	// once they have, as a folder in use cannot be removed on Windows.
	var children []int
	for _, p := range childProcesses(t, c.cmd.Process.Pid) {
		children = append(children, p.pid)
	}
	c.cmd.Process.Kill()
	c.cmd.Wait()
	for _, pid := range children {
		for wait := time.Now().Add(time.Minute); !processGone(pid) && time.Now().Before(wait); {
			time.Sleep(50 * time.Millisecond)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(runDirs(t, tmp)) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // its waiting processes made theirs
	}
	if len(runDirs(t, tmp)) == 0 {
		t.Fatal("a killed server left nothing to sweep: the test proves nothing")
	}
	c = startConductor(t, "TMPDIR="+tmp, "MCP_CONDUCTOR_POOL_SIZE=0")
	c.run("1", nil).mustSucceed(t)
	c.session.Close()
	c.cmd.Wait()
	if left := runDirs(t, tmp); len(left) != 0 {
		t.Errorf("a dead server's folders were not swept: %v", left)
	}
}

func runDirs(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "mcp-conductor-run-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestTempFilesGoToThePrivateFolder: with a write grant, Deno's temporary
// files land in the execution's private folder (TMPDIR, and TMP and TEMP,
// which Deno reads on Windows), and are gone with it.
func TestTempFilesGoToThePrivateFolder(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	c := startConductor(t, "MCP_CONDUCTOR_WORKSPACE="+ws, "MCP_CONDUCTOR_RUN_ARGS=allow-write="+ws)
	r := c.run("const f = Deno.makeTempFileSync(); Deno.writeTextFileSync(f, 'x'); f", nil).mustSucceed(t)
	path, _ := r.ReturnValue.(string)
	if !strings.Contains(path, "mcp-conductor-run-") {
		t.Fatalf("temporary file %q is not in the execution's private folder", path)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s outlived its execution: %v", path, err)
	}
}
