package deno

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// Official release locations (variables so tests can serve them locally).
var (
	githubReleases = "https://github.com/denoland/deno/releases"
	dlDenoLand     = "https://dl.deno.land"
)

// zipTarget maps GOOS/GOARCH to the Rust target in release asset names.
func zipTarget(goos, goarch string) (string, error) {
	t, ok := map[string]string{
		"darwin/arm64":  "aarch64-apple-darwin",
		"darwin/amd64":  "x86_64-apple-darwin",
		"linux/amd64":   "x86_64-unknown-linux-gnu",
		"linux/arm64":   "aarch64-unknown-linux-gnu",
		"windows/amd64": "x86_64-pc-windows-msvc",
		"windows/arm64": "aarch64-pc-windows-msvc",
	}[goos+"/"+goarch]
	if !ok {
		return "", fmt.Errorf("Deno publishes no build for %s/%s; install deno yourself (https://docs.deno.com/runtime/getting_started/installation/) and set %s", goos, goarch, EnvDeno)
	}
	return t, nil
}

// githubSource fetches the release zip from GitHub, then dl.deno.land, or
// only from a mirror laid out like dl.deno.land when BaseURL is set.
func githubSource(ctx context.Context, d *downloader, o *InstallOptions, dir string) (string, error) {
	target, err := zipTarget(o.GOOS, o.GOARCH)
	if err != nil {
		return "", err
	}
	type base struct {
		latest  func() (string, error)
		release string
	}
	bases := []base{
		{func() (string, error) { return githubLatest(ctx, d) }, githubReleases + "/download"},
		{func() (string, error) { return textLatest(ctx, d, dlDenoLand+"/release-latest.txt") }, dlDenoLand + "/release"},
	}
	if o.BaseURL != "" {
		b := strings.TrimRight(o.BaseURL, "/")
		bases = []base{{func() (string, error) { return textLatest(ctx, d, b+"/release-latest.txt") }, b + "/release"}}
	}
	asset := "deno-" + target + ".zip"
	var errs []error
	for _, b := range bases {
		tag := o.Version
		if tag == "" {
			d.emit(Progress{Phase: "resolve"})
			if tag, err = b.latest(); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		tag = "v" + strings.TrimPrefix(tag, "v")
		url := b.release + "/" + tag + "/" + asset
		err := fetchZip(ctx, d, url, filepath.Join(dir, asset), filepath.Join(dir, "pkg"))
		var fe *fetchError
		if errors.As(err, &fe) {
			errs = append(errs, err)
			continue // the next mirror may have it
		}
		return strings.TrimPrefix(tag, "v"), err
	}
	return "", fmt.Errorf("could not download Deno (%w); check the version and your network, or try --source npm", errors.Join(errs...))
}

// githubLatest reads the tag that /releases/latest redirects to.
func githubLatest(ctx context.Context, d *downloader) (string, error) {
	c := *d.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	url := githubReleases + "/latest"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", &fetchError{url, err}
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	tag := path.Base(loc)
	if resp.StatusCode/100 != 3 || !strings.Contains(loc, "/tag/") {
		return "", &fetchError{url, fmt.Errorf("no redirect to a release tag (%s)", resp.Status)}
	}
	if _, err := canonical(tag); err != nil {
		return "", &fetchError{url, err}
	}
	return tag, nil
}

// textLatest reads a release-latest.txt ("v2.x.y").
func textLatest(ctx context.Context, d *downloader, url string) (string, error) {
	b, err := d.small(ctx, url, "")
	if err != nil {
		return "", err
	}
	tag := strings.TrimSpace(string(b))
	if _, err := canonical(tag); err != nil {
		return "", &fetchError{url, err}
	}
	return tag, nil
}

var hex64 = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b[0-9a-f]{64}\b`) })

// parseSHA256Sum reads a published .sha256sum: either `<hex>  <file>`
// (shasum, macOS/Linux builds) or PowerShell's Format-List of Get-FileHash
// (`Hash : <HEX>`, Windows builds, possibly UTF-16).
func parseSHA256Sum(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe { // UTF-16LE with BOM
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		}
		b = []byte(string(utf16.Decode(u)))
	}
	m := hex64().Find(b)
	if m == nil {
		return "", errors.New("no SHA-256 in the checksum file")
	}
	return strings.ToLower(string(m)), nil
}

// fetchZip downloads the zip and its .sha256sum, verifies one against the
// other and extracts the deno binary into outDir.
func fetchZip(ctx context.Context, d *downloader, url, zipPath, outDir string) error {
	sumText, err := d.small(ctx, url+".sha256sum", "")
	if err != nil {
		return err
	}
	want, err := parseSHA256Sum(sumText)
	if err != nil {
		return fmt.Errorf("%s.sha256sum: %w", url, err)
	}
	h := sha256.New()
	if err := d.file(ctx, url, zipPath, h); err != nil {
		return err
	}
	d.emit(Progress{Phase: "verify", URL: url})
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("checksum mismatch for %s: published %s, downloaded file has %s; the download was corrupted or altered, so nothing was installed: run the command again, and if it persists use another --base-url or --source npm", path.Base(url), want, got)
	}
	d.emit(Progress{Phase: "extract"})
	return unzipDeno(zipPath, outDir)
}

// unzipDeno extracts deno or deno.exe from the release zip.
func unzipDeno(zipPath, outDir string) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return fmt.Errorf("open %s: %w", filepath.Base(zipPath), err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		name := path.Base(f.Name)
		if name != "deno" && name != "deno.exe" || f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return writeBinary(filepath.Join(outDir, name), io.LimitReader(rc, maxDownload))
	}
	return fmt.Errorf("%s holds no deno binary", filepath.Base(zipPath))
}

// writeBinary puts an extracted deno binary at dst, executable.
func writeBinary(dst string, r io.Reader) error {
	if err := fsx.WriteFrom(dst, r, 0o755); err != nil {
		return fmt.Errorf("extract %s: %w", filepath.Base(dst), err)
	}
	return nil
}
