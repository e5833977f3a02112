package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxRequestBytes bounds one HTTP request body.
const MaxRequestBytes = 4 << 20

// HTTPOptions secure the streamable-HTTP endpoint.
type HTTPOptions struct {
	// Token is the bearer token every request must carry.
	Token string
	// AllowedOrigins are extra browser origins allowed to call (exact
	// "scheme://host:port"); loopback origins are always allowed.
	AllowedOrigins []string
}

// HTTPHandler serves MCP over streamable HTTP at any path. It answers 401
// without the bearer token, 403 for a foreign Origin or a Host that is not
// loopback (DNS-rebinding defence), 413 for bodies over MaxRequestBytes.
// Each client session gets its own MCP session.
func (s *Server) HTTPHandler(opts HTTPOptions) http.Handler {
	mcpHandler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, nil)
	want := []byte("Bearer " + opts.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			http.Error(w, "forbidden: this endpoint only answers requests addressed to 127.0.0.1, [::1] or localhost", http.StatusForbidden)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !originAllowed(o, opts.AllowedOrigins) {
			http.Error(w, "forbidden: origin "+o+" may not call this endpoint", http.StatusForbidden)
			return
		}
		got := []byte(r.Header.Get("Authorization"))
		if opts.Token == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="mcp-conductor"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <token> (the token is in the conductor's http-token file)", http.StatusUnauthorized)
			return
		}
		if r.ContentLength > MaxRequestBytes {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes)
		mcpHandler.ServeHTTP(w, r)
	})
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func originAllowed(origin string, extra []string) bool {
	for _, o := range extra {
		if o == origin {
			return true
		}
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return loopbackHost(u.Host)
}

// CheckLoopback refuses listen addresses that are not loopback: the endpoint
// runs code, so it is never offered to the network.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if !loopbackHost(host) {
		return fmt.Errorf("listen address %q is not loopback; the endpoint only listens on 127.0.0.1, [::1] or localhost", addr)
	}
	return nil
}

// TokenPath is where the endpoint's bearer token is kept.
func TokenPath(home string) string { return filepath.Join(home, "http-token") }

// LoadOrCreateToken returns the endpoint's token, generating and storing it
// (mode 0600) on first use.
func LoadOrCreateToken(home string) (string, error) {
	path := TokenPath(home)
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); len(t) >= 32 {
			return t, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	token := hex.EncodeToString(buf)
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(token+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return token, nil
}
