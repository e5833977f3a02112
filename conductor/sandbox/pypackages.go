package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// maxWheelBytes bounds one downloaded wheel; maxIndexBytes one index page.
const (
	maxWheelBytes = 512 << 20
	maxIndexBytes = 16 << 20
)

// pyPackages installs the Python allowlist into the read-only cache, from
// the administrator's sources, each file checked against a sha256 the
// conductor trusts: Pyodide's own packages against the lockfile of the
// installed runtime (itself verified at install), pure-Python wheels
// against the digest their PEP 503 index publishes. Nothing is downloaded
// while code runs: a job only loads files already in the cache.
type pyPackages struct {
	dir          string // <home>/cache/python/wheels
	allow        []config.PythonPackage
	index        string // PEP 503 simple index, "" = none
	pyodideIndex string // Pyodide's package folder, "" = none
	lock         map[string]lockPackage
	client       *http.Client

	mu   sync.Mutex // one install at a time
	done map[string][]string
}

// lockPackage is a package of pyodide-lock.json.
type lockPackage struct {
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	FileName string   `json:"file_name"`
	SHA256   string   `json:"sha256"`
	Depends  []string `json:"depends"`
}

func newPyPackages(p config.Policy, pyodide, dir string) (*pyPackages, error) {
	b, err := os.ReadFile(filepath.Join(pyodide, "pyodide-lock.json"))
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]lockPackage `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(pyodide, "pyodide-lock.json"), err)
	}
	byName := map[string]lockPackage{}
	for k, v := range lock.Packages {
		byName[config.NormalizePythonName(k)] = v
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &pyPackages{dir: dir, allow: p.PythonPackages, index: p.PythonIndex, pyodideIndex: p.PyodideIndex,
		lock: byName, client: &http.Client{Timeout: 10 * time.Minute}, done: map[string][]string{}}, nil
}

// allowed reports the allowlist entry for a package name as code spells it.
func (pp *pyPackages) allowed(name string) (config.PythonPackage, bool) {
	n := config.NormalizePythonName(name)
	for _, a := range pp.allow {
		if a.Name == n {
			return a, true
		}
	}
	return config.PythonPackage{}, false
}

// refuse explains why a package cannot be used.
func (pp *pyPackages) refuse(name string) error {
	if len(pp.allow) == 0 {
		return fmt.Errorf("package %q is not allowed: the administrator allows no Python packages, only the standard library", name)
	}
	var names []string
	for _, a := range pp.allow {
		names = append(names, a.String())
	}
	return fmt.Errorf("package %q is not allowed; the administrator allows: %s", name, strings.Join(names, ", "))
}

// ensure installs an allowlisted package (and, for Pyodide's packages, what
// it depends on) if it is not in the cache yet, and returns its files, the
// dependencies first.
func (pp *pyPackages) ensure(ctx context.Context, a config.PythonPackage) ([]string, error) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if files, ok := pp.done[a.Name]; ok {
		return files, nil
	}
	var files []string
	var err error
	if lp, inLock := pp.lock[a.Name]; inLock && (a.Version == "" || a.Version == lp.Version) {
		files, err = pp.fromPyodide(ctx, a.Name, map[string]bool{})
	} else {
		files, err = pp.fromIndex(ctx, a)
	}
	if err != nil {
		return nil, fmt.Errorf("installing the Python package %s: %w", a, err)
	}
	pp.done[a.Name] = files
	return files, nil
}

// ensureAll installs the whole allowlist (the install step).
func (pp *pyPackages) ensureAll(ctx context.Context) error {
	var errs []error
	for _, a := range pp.allow {
		if _, err := pp.ensure(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// fromPyodide fetches one of Pyodide's packages and its dependencies from
// the administrator's Pyodide package folder, checked against the lock.
func (pp *pyPackages) fromPyodide(ctx context.Context, name string, seen map[string]bool) ([]string, error) {
	if seen[name] {
		return nil, nil
	}
	seen[name] = true
	lp, ok := pp.lock[name]
	if !ok {
		return nil, fmt.Errorf("Pyodide's lockfile has no %s", name)
	}
	if pp.pyodideIndex == "" {
		return nil, fmt.Errorf("%s is one of Pyodide's packages, and no source for them is set (%s)", name, config.EnvPyodideIndex)
	}
	var files []string
	for _, d := range lp.Depends {
		f, err := pp.fromPyodide(ctx, config.NormalizePythonName(d), seen)
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	u, err := url.JoinPath(pp.pyodideIndex, lp.FileName)
	if err != nil {
		return nil, err
	}
	f, err := pp.fetch(ctx, u, lp.FileName, lp.SHA256)
	if err != nil {
		return nil, err
	}
	return append(files, f), nil
}

// fromIndex fetches a pure-Python wheel at its pinned version from the
// administrator's PEP 503 index, checked against the sha256 the index
// publishes for it.
func (pp *pyPackages) fromIndex(ctx context.Context, a config.PythonPackage) ([]string, error) {
	if a.Version == "" {
		return nil, fmt.Errorf("%s is not one of Pyodide's packages: pin its version in the allowlist (%s==<version>)", a.Name, a.Name)
	}
	if pp.index == "" {
		return nil, fmt.Errorf("no package index is set (%s)", config.EnvPythonIndex)
	}
	page, err := url.JoinPath(pp.index, a.Name, "/")
	if err != nil {
		return nil, err
	}
	body, err := pp.get(ctx, page, maxIndexBytes)
	if err != nil {
		return nil, err
	}
	links, err := indexLinks(page, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", page, err)
	}
	for _, l := range links {
		if !pureWheelOf(l.file, a) {
			continue
		}
		if l.sha256 == "" {
			return nil, fmt.Errorf("%s publishes no sha256 for %s, so it cannot be verified", page, l.file)
		}
		f, err := pp.fetch(ctx, l.url, l.file, l.sha256)
		if err != nil {
			return nil, err
		}
		return []string{f}, nil
	}
	return nil, fmt.Errorf("%s lists no pure-Python wheel (py3-none-any) of %s", page, a)
}

// pureWheelOf reports whether a wheel file name is a pure-Python build of
// exactly a's version.
func pureWheelOf(file string, a config.PythonPackage) bool {
	base, ok := strings.CutSuffix(file, ".whl")
	parts := strings.Split(base, "-")
	if !ok || len(parts) < 5 {
		return false
	}
	n := len(parts)
	return config.NormalizePythonName(parts[0]) == a.Name && parts[1] == a.Version &&
		parts[n-1] == "any" && parts[n-2] == "none" && strings.Contains(parts[n-3], "py3")
}

// indexLink is one file a PEP 503 page lists.
type indexLink struct{ url, file, sha256 string }

// indexLinks reads the anchors of a PEP 503 page (golang.org/x/net/html):
// their URLs resolved against the page, and the sha256 of their fragment.
func indexLinks(page string, body []byte) ([]indexLink, error) {
	base, err := url.Parse(page)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	var out []indexLink
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			for _, at := range n.Attr {
				if at.Key != "href" {
					continue
				}
				u, err := base.Parse(at.Val)
				if err != nil {
					continue
				}
				l := indexLink{file: path.Base(u.Path)}
				if d, ok := strings.CutPrefix(u.Fragment, "sha256="); ok {
					l.sha256 = strings.ToLower(d)
				}
				u.Fragment = ""
				l.url = u.String()
				out = append(out, l)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out, nil
}

// fetch stores url's file in the cache as name, once its sha256 is want; a
// file already there with that digest is kept.
func (pp *pyPackages) fetch(ctx context.Context, u, name, want string) (string, error) {
	if name != filepath.Base(name) || !strings.HasSuffix(name, ".whl") || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("%q is not a wheel's file name", name)
	}
	dst := filepath.Join(pp.dir, name)
	if b, err := os.ReadFile(dst); err == nil && sha256Hex(b) == strings.ToLower(want) {
		return dst, nil
	}
	b, err := pp.get(ctx, u, maxWheelBytes)
	if err != nil {
		return "", err
	}
	if got := sha256Hex(b); got != strings.ToLower(want) {
		return "", fmt.Errorf("checksum mismatch for %s: expected sha256 %s, the download has %s; nothing was installed", u, want, got)
	}
	return dst, fsx.WriteOnce(dst, b)
}

func (pp *pyPackages) get(ctx context.Context, u string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := pp.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", u, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("download %s: more than %d bytes", u, limit)
	}
	return b, nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
