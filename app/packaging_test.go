package app

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The packaging files under build/ and wails.json must agree with the code:
// the binary name, the icon name, the window class.
func TestPackagingFiles(t *testing.T) {
	root := filepath.Join("..")

	var wj struct {
		Name           string `json:"name"`
		OutputFilename string `json:"outputfilename"`
		FrontendDir    string `json:"frontend:dir"`
		FrontendBuild  string `json:"frontend:build"`
		Info           struct {
			ProductName string `json:"productName"`
		} `json:"info"`
	}
	readJSON(t, filepath.Join(root, "wails.json"), &wj)
	if wj.OutputFilename != ID || wj.Info.ProductName != Title || wj.FrontendDir != "frontend" || wj.FrontendBuild == "" {
		t.Errorf("wails.json: %+v", wj)
	}
	var info map[string]any
	readJSON(t, filepath.Join(root, "build", "windows", "info.json"), &info)

	entry := desktopEntry(t, filepath.Join(root, "build", "linux", ID+".desktop"))
	for k, want := range map[string]string{
		"Type": "Application", "Name": Title, "Exec": ID, "Icon": ID, "StartupWMClass": ID, "Terminal": "false",
	} {
		if entry[k] != want {
			t.Errorf("%s.desktop: %s=%q, want %q", ID, k, entry[k], want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "build", "linux", entry["Icon"]+".png")); err != nil {
		t.Errorf("the desktop entry's icon: %v", err)
	}

	for _, f := range []string{"darwin/Info.plist", "darwin/Info.dev.plist", "windows/wails.exe.manifest"} {
		wellFormedXML(t, filepath.Join(root, "build", f))
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func desktopEntry(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kv := map[string]string{}
	sc := bufio.NewScanner(f)
	group := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && group == "[Desktop Entry]" {
			kv[k] = v
		}
	}
	return kv
}

func wellFormedXML(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return
		}
	}
}
