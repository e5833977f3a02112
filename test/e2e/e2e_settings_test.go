package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A running --stdio process follows the settings file: a permission granted
// there is used by the next execution (the pool is drained and refilled),
// and a broken file changes nothing.
func TestSettingsFileLiveReload(t *testing.T) {
	home := t.TempDir()
	chome := filepath.Join(home, ".mcp-conductor")
	data := filepath.Join(home, "data")
	writeFile(t, filepath.Join(data, "f.txt"), "granted")
	c := startConductor(t, "MCP_CONDUCTOR_HOME="+chome)
	read := fmt.Sprintf("Deno.readTextFileSync(%q)", filepath.Join(data, "f.txt"))
	c.run(read, nil).mustFail(t, "permission")

	settings, _ := json.Marshal(map[string]any{"permissions": map[string]any{"read": map[string]any{"list": []string{data}}}})
	writeFile(t, filepath.Join(chome, "settings.json"), string(settings))
	var r runResult
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if r = c.run(read, nil); r.Status == "success" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.ReturnValue != "granted" {
		t.Fatalf("the new grant was not applied: %s", r.raw)
	}
	// The model is told its new permissions.
	if d := c.toolDescription("run_deno_code"); !strings.Contains(d, "--allow-read="+data) {
		t.Errorf("description not updated:\n%s", d)
	}

	// A broken file keeps the last good settings and is left as it is.
	broken := `{"permissions": {"read": }`
	writeFile(t, filepath.Join(chome, "settings.json"), broken)
	time.Sleep(3 * time.Second)
	if r := c.run(read, nil).mustSucceed(t); r.ReturnValue != "granted" {
		t.Errorf("after a broken settings file: %s", r.raw)
	}
	if b, _ := os.ReadFile(filepath.Join(chome, "settings.json")); string(b) != broken {
		t.Errorf("the broken file was changed")
	}
}
