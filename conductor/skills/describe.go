package skills

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Export is one exported name of a skill.
type Export struct {
	Name      string `json:"name"`
	Kind      string `json:"kind" jsonschema:"function, class, variable, interface, typeAlias, enum or namespace"`
	Signature string `json:"signature" jsonschema:"its TypeScript declaration, such as function add(a: number, b: number): number"`
	Doc       string `json:"doc,omitempty" jsonschema:"its JSDoc comment"`
}

// describeTimeout bounds one run of deno doc.
const describeTimeout = 30 * time.Second

// emptyModule stands in for every module a skill imports while Deno reads
// its declarations: deno doc resolves imports, and the skill's own
// signatures are all that is wanted (no download, no other file).
const emptyModule = "data:application/typescript,export%20%7B%7D"

// Describe parses source with the real Deno (deno doc --json) and returns
// its exports, or Deno's error with its line and column, the file named
// skills/<name>.ts. imports are the source's import specifiers: each is
// mapped to an empty module, so nothing is fetched or read but the source.
func Describe(ctx context.Context, deno, name, source string, imports []string) ([]Export, error) {
	if deno == "" {
		return nil, fmt.Errorf("no Deno binary to check the skill with")
	}
	dir, err := os.MkdirTemp("", "mcp-conductor-skill-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, name+".ts")
	if err := os.WriteFile(file, []byte(source), 0o600); err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, s := range imports {
		m[s] = emptyModule
	}
	im, err := json.Marshal(map[string]any{"imports": m})
	if err != nil {
		return nil, err
	}
	mapFile := filepath.Join(dir, "import-map.json")
	if err := os.WriteFile(mapFile, im, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, describeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, deno, "doc", "--json", "--quiet", "--no-config", "--no-lock", "--no-remote", "--no-npm", "--import-map="+mapFile, file)
	cmd.Dir = dir
	cmd.Env = []string{"DENO_DIR=" + filepath.Join(dir, "deno"), "NO_COLOR=1", "DENO_NO_UPDATE_CHECK=1", "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("checking skill %s with Deno took longer than %s", name, describeTimeout)
		}
		return nil, parseError(name, denoMessage(stderr.String(), file, name))
	}
	var doc docOutput
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("deno doc gave no JSON for skill %s: %w", name, err)
	}
	node, ok := doc.Nodes[fileURL(file)]
	if !ok && len(doc.Nodes) == 1 {
		for _, n := range doc.Nodes {
			node = n
		}
	}
	out := []Export{}
	for _, sym := range node.Symbols {
		for _, d := range sym.Declarations {
			if d.DeclarationKind != "export" {
				continue
			}
			out = append(out, Export{Name: sym.Name, Kind: d.Kind, Signature: signature(sym.Name, d), Doc: d.JSDoc.Doc})
			break
		}
	}
	return out, nil
}

// denoMessage is Deno's error for people: its first "error:" line and the
// lines that show the position, with the temporary file named as the
// skill. Deno's text is shown, not interpreted.
func denoMessage(stderr, file, name string) string {
	msg := stderr
	if i := strings.LastIndex(msg, "error: "); i >= 0 {
		msg = msg[i+len("error: "):]
	}
	if i := strings.Index(msg, "\nStack backtrace"); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.ReplaceAll(msg, fileURL(file), Prefix+name+".ts")
	msg = strings.ReplaceAll(msg, file, Prefix+name+".ts")
	return strings.TrimSpace(msg)
}

// fileURL is path as Deno names it (a Windows path gets its leading slash).
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// docOutput is the part of deno doc's JSON (version 2) read here.
type docOutput struct {
	Nodes map[string]struct {
		Symbols []struct {
			Name         string        `json:"name"`
			Declarations []declaration `json:"declarations"`
		} `json:"symbols"`
	} `json:"nodes"`
}

type declaration struct {
	DeclarationKind string `json:"declarationKind"`
	Kind            string `json:"kind"`
	JSDoc           struct {
		Doc string `json:"doc"`
	} `json:"jsDoc"`
	Def json.RawMessage `json:"def"`
}
