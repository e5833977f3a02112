package server

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxRequestBytes bounds one HTTP request body.
const MaxRequestBytes = 4 << 20

// EventStoreBytes bounds the messages kept, across all sessions, for
// clients that resume a broken stream; the oldest go first. It holds the
// largest result the default limits allow (1 MiB each of return value,
// stdout and stderr, sent twice: as structuredContent and as text) with
// room to spare.
const EventStoreBytes = 16 << 20

// handler serves MCP over streamable HTTP at any path, once a request has
// passed, in this order: a loopback Host (else 403: the DNS-rebinding
// defence), no Origin or an allowed one (else 403), the exact bearer token
// (else 401), a body of at most MaxRequestBytes (else 413) that arrives
// before the read timeout (else 408). A refused request's connection is
// closed after the answer, so it cannot sit in the connection cap; one
// whose request passes the token check is marked authenticated (connLimit).
//
// The checks are written here rather than taken from the libraries, which
// would weaken them or the answers:
//   - go-sdk's DNS-rebinding protection, left on as a second layer, is the
//     same Host rule, but inside its handler: after the token check, so a
//     rebinding page would get a 401 rather than a 403 that says why; it
//     has no Origin rule;
//   - net/http's CrossOriginProtection lets GET, HEAD and OPTIONS through
//     from any origin (the SSE stream is a GET), and refuses loopback
//     pages on another port (Sec-Fetch-Site: same-site), which work today;
//   - go-sdk's auth.RequireBearerToken serves OAuth token verifiers: its 401
//     says "no bearer token" without saying where the token is, and it
//     cannot close the connection of a refused request.
//
// Streams are resumable (SEP-1699): go-sdk keeps each session's recent
// messages in an event store and, for clients of protocol 2025-11-25, opens
// every SSE response with a priming event (an event ID, no data), so that a
// client whose connection broke mid-call reconnects with Last-Event-ID and
// gets the rest, the result included. go-sdk v1.8.0 sends the SSE retry
// field only when a handler closes a stream on purpose
// (RequestExtra.CloseSSEStream); the conductor never does, so it never
// sends one.
func (s *Server) handler(opts ServeOptions) http.Handler {
	events := mcp.NewMemoryEventStore(nil)
	events.SetMaxBytes(EventStoreBytes)
	mcpHandler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, &mcp.StreamableHTTPOptions{
		MaxRequestBodyBytes: MaxRequestBytes,
		EventStore:          events,
	})
	want := []byte("Bearer " + opts.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			refuseRequest(w, http.StatusForbidden, "forbidden: this endpoint only answers requests addressed to 127.0.0.1, [::1] or localhost")
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !originAllowed(o, opts.AllowedOrigins) {
			refuseRequest(w, http.StatusForbidden, "forbidden: origin "+o+" may not call this endpoint")
			return
		}
		got := []byte(r.Header.Get("Authorization"))
		if opts.Token == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="mcp-conductor"`)
			refuseRequest(w, http.StatusUnauthorized, "unauthorized: send Authorization: Bearer <token> (the token is in the conductor's http-token file)")
			return
		}
		markAuthenticated(r)
		if !readBody(w, r) {
			return
		}
		mcpHandler.ServeHTTP(w, r)
	})
}

// readBody reads r's body whole, within the server's ReadTimeout (net/http
// armed that deadline when the request began and lifts it once the body is
// read), so that a slow or oversized body gets an answer that says so. It
// answers and returns false when the body cannot be had.
func readBody(w http.ResponseWriter, r *http.Request) bool {
	tooLarge := fmt.Sprintf("request too large: a request body may be at most %d MiB; send smaller messages", MaxRequestBytes>>20)
	if r.ContentLength > MaxRequestBytes {
		refuseRequest(w, http.StatusRequestEntityTooLarge, tooLarge)
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		refuseRequest(w, http.StatusRequestEntityTooLarge, tooLarge)
		return false
	case errors.Is(err, os.ErrDeadlineExceeded):
		refuseRequest(w, http.StatusRequestTimeout, "request timeout: the request body did not arrive in time; send it whole, right after the headers")
		return false
	case err != nil:
		refuseRequest(w, http.StatusBadRequest, "bad request: the request body could not be read ("+err.Error()+"); send the request again")
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// refuseRequest answers a request the endpoint will not serve and closes
// its connection afterwards.
func refuseRequest(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Connection", "close")
	http.Error(w, msg, code)
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
// (owner-only: mode 0600, on Windows an owner-only access list) on first use.
func LoadOrCreateToken(home string) (string, error) {
	path := TokenPath(home)
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); len(t) >= 32 {
			// A token an older version left readable to others (on
			// Windows: any file it wrote) is made owner-only.
			if ok, err := fsx.IsPrivate(path); err == nil && !ok {
				if err := fsx.Restrict(path); err != nil {
					return "", err
				}
			}
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
	if err := fsx.MkdirPrivate(home); err != nil {
		return "", err
	}
	if err := fsx.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", err
	}
	return token, nil
}
