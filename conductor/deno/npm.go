package deno

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// defaultRegistry is npm's public registry.
const defaultRegistry = "https://registry.npmjs.org/"

// npmPackage maps GOOS/GOARCH to the platform package that the `deno` npm
// package lists in its optionalDependencies.
func npmPackage(goos, goarch string) (string, error) {
	p, ok := map[string]string{
		"darwin/arm64":  "@deno/darwin-arm64",
		"darwin/amd64":  "@deno/darwin-x64",
		"linux/amd64":   "@deno/linux-x64-glibc",
		"linux/arm64":   "@deno/linux-arm64-glibc",
		"windows/amd64": "@deno/win32-x64",
		"windows/arm64": "@deno/win32-arm64",
	}[goos+"/"+goarch]
	if !ok {
		return "", fmt.Errorf("Deno publishes no npm package for %s/%s; install deno yourself and set %s", goos, goarch, EnvDeno)
	}
	return p, nil
}

// npmConfig is the part of the npm configuration we honour.
type npmConfig struct {
	registry string // ends in "/"
	token    string // bearer token for it, from .npmrc
}

// readNPMConfig applies, weakest first: the public registry, ~/.npmrc
// (`registry=`, `@deno:registry=`, `//host/path/:_authToken=`), then the
// NPM_CONFIG_REGISTRY / npm_config_registry variables, then override.
func readNPMConfig(getenv func(string) string, userHome, override string) npmConfig {
	c := npmConfig{registry: defaultRegistry}
	tokens := map[string]string{}
	var scoped string
	if b, err := os.ReadFile(filepath.Join(userHome, ".npmrc")); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || line[0] == '#' || line[0] == ';' {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			k, v = strings.TrimSpace(k), expandEnv(strings.Trim(strings.TrimSpace(v), `"'`), getenv)
			switch {
			case k == "registry":
				c.registry = v
			case k == "@deno:registry":
				scoped = v
			case strings.HasPrefix(k, "//") && strings.HasSuffix(k, ":_authToken"):
				tokens[strings.TrimSuffix(k, ":_authToken")] = v
			}
		}
	}
	for _, k := range []string{"npm_config_registry", "NPM_CONFIG_REGISTRY"} {
		if v := getenv(k); v != "" {
			c.registry = v
		}
	}
	if scoped != "" {
		c.registry = scoped
	}
	if override != "" {
		c.registry = override
	}
	if !strings.HasSuffix(c.registry, "/") {
		c.registry += "/"
	}
	// A token applies to the registry URL it is keyed by (without scheme).
	if u, err := url.Parse(c.registry); err == nil {
		key := "//" + u.Host + u.Path
		for k, tok := range tokens {
			if strings.HasPrefix(key, strings.TrimSuffix(k, "/")+"/") || key == k {
				c.token = tok
			}
		}
	}
	return c
}

// expandEnv expands ${VAR} as npm does in .npmrc.
func expandEnv(s string, getenv func(string) string) string {
	for {
		i := strings.Index(s, "${")
		j := strings.Index(s[max(i, 0):], "}")
		if i < 0 || j < 0 {
			return s
		}
		s = s[:i] + getenv(s[i+2:i+j]) + s[i+j+1:]
	}
}

// npmSource fetches the platform package from the npm registry and checks
// the tarball against the registry's sha512 integrity.
func npmSource(ctx context.Context, d *downloader, o *InstallOptions, dir string) (string, error) {
	pkg, err := npmPackage(o.GOOS, o.GOARCH)
	if err != nil {
		return "", err
	}
	tgz := filepath.Join(dir, "deno.tgz")
	v, err := npmTarball(ctx, d, o.getenv, o.BaseURL, pkg, strings.TrimPrefix(o.Version, "v"), tgz)
	if err != nil {
		return "", err
	}
	d.emit(Progress{Phase: "extract"})
	return v, untarDeno(tgz, filepath.Join(dir, "pkg"))
}

// npmTarball downloads pkg at version ("" for its latest) to dest, from
// the registry of the user's npm configuration (registry, if set, instead)
// with its token, checked against the sha512 integrity the registry
// publishes, and returns the version it got. Deno's platform package and
// Pyodide come this way.
func npmTarball(ctx context.Context, d *downloader, getenv func(string) string, registry, pkg, version, dest string) (string, error) {
	uh := getenv("HOME")
	if uh == "" {
		uh, _ = os.UserHomeDir()
	}
	cfg := readNPMConfig(getenv, uh, registry)
	if u, err := url.Parse(cfg.registry); err == nil && cfg.token != "" {
		d.authHost, d.authToken = u.Host, cfg.token
	}
	d.emit(Progress{Phase: "resolve"})
	metaURL := cfg.registry + strings.Replace(pkg, "/", "%2f", 1)
	body, err := d.small(ctx, metaURL, "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8")
	if err != nil {
		return "", fmt.Errorf("%w; check the npm registry setting (%s) and your network", err, cfg.registry)
	}
	var meta struct {
		DistTags map[string]string `json:"dist-tags"`
		Versions map[string]struct {
			Dist struct {
				Tarball   string `json:"tarball"`
				Integrity string `json:"integrity"`
			} `json:"dist"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(body, &meta); err != nil {
		return "", fmt.Errorf("%s: not npm package metadata: %w", metaURL, err)
	}
	v := version
	if v == "" {
		if v = meta.DistTags["latest"]; v == "" {
			return "", fmt.Errorf("%s has no latest version", pkg)
		}
	}
	ver, ok := meta.Versions[v]
	if !ok {
		return "", fmt.Errorf("the npm registry (%s) has no %s@%s", cfg.registry, pkg, v)
	}
	want, err := sha512Integrity(ver.Dist.Integrity)
	if err != nil {
		return "", fmt.Errorf("%s@%s: %w", pkg, v, err)
	}
	h := sha512.New()
	if err := d.file(ctx, ver.Dist.Tarball, dest, h); err != nil {
		return "", err
	}
	d.emit(Progress{Phase: "verify", URL: ver.Dist.Tarball})
	if got := h.Sum(nil); !bytes.Equal(got, want) {
		return "", fmt.Errorf("integrity mismatch for %s@%s: the registry publishes sha512-%s, the download has sha512-%s; nothing was installed: run the command again, and if it persists check your npm mirror", pkg, v, base64.StdEncoding.EncodeToString(want), base64.StdEncoding.EncodeToString(got))
	}
	return v, nil
}

// sha512Integrity picks the sha512 digest out of a Subresource Integrity
// string ("sha512-<base64> [sha1-...]").
func sha512Integrity(s string) ([]byte, error) {
	for _, f := range strings.Fields(s) {
		if b64, ok := strings.CutPrefix(f, "sha512-"); ok {
			return base64.StdEncoding.DecodeString(b64)
		}
	}
	return nil, errors.New("the registry publishes no sha512 integrity to verify the download with; use --source github")
}

// untarDeno extracts package/deno or package/deno.exe from an npm tarball.
func untarDeno(tgz, outDir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("open npm tarball: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return errors.New("the npm tarball holds no deno binary")
		}
		if err != nil {
			return fmt.Errorf("read npm tarball: %w", err)
		}
		name := path.Base(hdr.Name)
		if hdr.Typeflag == tar.TypeReg && (name == "deno" || name == "deno.exe") && path.Dir(hdr.Name) == "package" {
			return writeBinary(filepath.Join(outDir, name), io.LimitReader(tr, maxDownload))
		}
	}
}
