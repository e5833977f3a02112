package deno

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"time"
)

// maxDownload bounds any download (a Deno zip is about 45 MB).
const maxDownload = 1 << 30

// Progress reports an installation step. Download events come at most
// every 100 ms, plus one when the download ends.
type Progress struct {
	// Phase is "resolve", "download", "verify", "extract" or "done".
	Phase string
	// URL is what is being downloaded (download phase).
	URL string
	// Done and Total count bytes; Total is -1 when the server did not say.
	Done, Total int64
	// BytesPerSecond is the average download speed so far.
	BytesPerSecond float64
}

// Percent returns the share done, 0 to 100, or -1 when Total is unknown.
func (p Progress) Percent() float64 {
	if p.Total <= 0 {
		return -1
	}
	return 100 * float64(p.Done) / float64(p.Total)
}

// fetchError is a failure to get a file (network, HTTP status). Unlike an
// integrity failure, the next mirror may succeed.
type fetchError struct {
	url string
	err error
}

func (e *fetchError) Error() string { return fmt.Sprintf("download %s: %v", e.url, e.err) }
func (e *fetchError) Unwrap() error { return e.err }

type downloader struct {
	client   *http.Client
	progress func(Progress)
	header   http.Header
	// authHost receives authToken as a bearer token; no other host does.
	authHost, authToken string
}

func (d *downloader) emit(p Progress) {
	if d.progress != nil {
		d.progress(p)
	}
}

func (d *downloader) get(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range d.header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "mcp-conductor")
	if d.authToken != "" && req.URL.Host == d.authHost {
		req.Header.Set("Authorization", "Bearer "+d.authToken)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, &fetchError{url, err}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, &fetchError{url, fmt.Errorf("server answered %s", resp.Status)}
	}
	return resp, nil
}

// small fetches a short text or JSON document.
func (d *downloader) small(ctx context.Context, url string, accept string) ([]byte, error) {
	if accept != "" {
		d.header = http.Header{"Accept": {accept}}
		defer func() { d.header = nil }()
	}
	resp, err := d.get(ctx, url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, &fetchError{url, err}
	}
	return b, nil
}

// file downloads url into path, feeding h, and reports progress. A body
// shorter than announced is an error: nothing half-downloaded is used.
func (d *downloader) file(ctx context.Context, url, path string, h hash.Hash) error {
	resp, err := d.get(ctx, url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	total := resp.ContentLength
	if total > maxDownload {
		return &fetchError{url, fmt.Errorf("announced %d bytes, more than a Deno build can be", total)}
	}
	start, last := time.Now(), time.Time{}
	var done int64
	report := func(force bool) {
		if now := time.Now(); force || now.Sub(last) >= 100*time.Millisecond {
			last = now
			speed := float64(done) / max(now.Sub(start).Seconds(), 1e-3)
			d.emit(Progress{Phase: "download", URL: url, Done: done, Total: total, BytesPerSecond: speed})
		}
	}
	buf := make([]byte, 256<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if done += int64(n); done > maxDownload {
				return &fetchError{url, errors.New("download too large")}
			}
			h.Write(buf[:n])
			if _, err := f.Write(buf[:n]); err != nil {
				return err
			}
			report(false)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return &fetchError{url, fmt.Errorf("interrupted after %d of %s bytes: %w; nothing was installed, run the command again", done, sizeText(total), rerr)}
		}
	}
	report(true)
	if total >= 0 && done != total {
		return &fetchError{url, fmt.Errorf("got %d of %d bytes; nothing was installed, run the command again", done, total)}
	}
	return f.Close()
}

func sizeText(n int64) string {
	if n < 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}
