// Package packaging checks the packages and bundles the build makes, as
// data: their layout and metadata, on any machine.
package packaging

import (
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// The macOS bundle: the layout make-app.sh lays out (here with a stand-in
// binary; on a Mac, `make app-macos` builds the real one), and an Info.plist
// that makes a tray-first app with the conductor's bundle id and icon.
func TestMacOSBundleLayout(t *testing.T) {
	root := testenv.RepoRoot(t)
	bin := filepath.Join(t.TempDir(), "mcp-conductor")
	os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755)
	out := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(root, "build", "darwin", "make-app.sh"), bin, "v1.2.3", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make-app.sh: %v\n%s", err, b)
	}
	app := filepath.Join(out, "MCP Conductor.app", "Contents")
	plist := readPlist(t, filepath.Join(app, "Info.plist"))
	for k, want := range map[string]string{
		"CFBundleIdentifier": "dev.mcp-conductor", "CFBundleExecutable": "mcp-conductor", "CFBundleName": "MCP Conductor",
		"CFBundleShortVersionString": "1.2.3", "CFBundleIconFile": "iconfile", "LSUIElement": "true", "CFBundlePackageType": "APPL",
	} {
		if plist[k] != want {
			t.Errorf("Info.plist %s = %q, want %q", k, plist[k], want)
		}
	}
	for _, f := range []string{"MacOS/mcp-conductor", "Resources/iconfile.icns"} {
		if st, err := os.Stat(filepath.Join(app, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if st, _ := os.Stat(filepath.Join(app, "MacOS/mcp-conductor")); st == nil || st.Mode().Perm()&0o111 == 0 {
		t.Error("the executable is not executable")
	}
	b, _ := os.ReadFile(filepath.Join(app, "Info.plist"))
	if strings.Contains(string(b), "{{") {
		t.Errorf("unfilled placeholders:\n%s", b)
	}
}

// readPlist reads a flat property list into key → value ("true"/"false"
// for booleans).
func readPlist(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	dec := xml.NewDecoder(f)
	var key, text string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			text = ""
			if (x.Name.Local == "true" || x.Name.Local == "false") && key != "" {
				out[key], key = x.Name.Local, ""
			}
		case xml.CharData:
			text += string(x)
		case xml.EndElement:
			switch x.Name.Local {
			case "key":
				key = strings.TrimSpace(text)
			case "string":
				if key != "" {
					out[key], key = strings.TrimSpace(text), ""
				}
			}
		}
	}
}
