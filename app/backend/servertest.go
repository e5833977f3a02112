package backend

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

// probeTimeout bounds a test connection (npx may download a package first).
const probeTimeout = 90 * time.Second

// stderrLines is how many of the last lines an upstream printed a failed
// test shows.
const stderrLines = 12

// ServerTest is what Test connection found: the server's tools, or why it
// could not connect.
type ServerTest struct {
	// Probe is set when the server answered.
	Probe *proxy.Probe `json:"probe"`
	// Failure is set when it did not.
	Failure *TestFailure `json:"failure"`
}

// TestFailure says why a test connection failed, for people.
type TestFailure struct {
	// Message says what happened, in one sentence.
	Message string `json:"message"`
	// Hint says what to check next.
	Hint string `json:"hint"`
	// Stderr are the last lines a program (stdio) printed on its error
	// output, secrets scrubbed; empty when it printed nothing.
	Stderr []string `json:"stderr"`
	// Detail is the underlying error, for the curious.
	Detail string `json:"detail"`
}

// TestMCPServer connects to the entry as the form describes it (saved or
// not; masked values are the stored ones of original) and lists its tools.
// A form that is not a valid entry is an error; a server that cannot be
// reached is a ServerTest with Failure set.
func (b *Backend) TestMCPServer(ctx context.Context, original string, form ServerForm) (ServerTest, error) {
	path, err := b.serversFile()
	if err != nil {
		return ServerTest{}, err
	}
	old, err := stored(path, original)
	if err != nil {
		return ServerTest{}, err
	}
	sc, err := configOf(form, old)
	if err != nil {
		return ServerTest{}, err
	}
	stderr := &lastLines{server: sc.Name, max: stderrLines}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	start := time.Now()
	p, err := proxy.ProbeServer(ctx, sc, proxy.Options{Getenv: b.getenv, ConnectTimeout: probeTimeout, Logger: slog.New(stderr)})
	if err != nil {
		return ServerTest{Failure: testFailure(sc, err, time.Since(start), stderr.lines())}, nil
	}
	return ServerTest{Probe: p}, nil
}

// lastLines is a log handler that keeps the last max lines the upstream
// server printed on stderr (the proxy logs each as a record with an
// "upstream" attribute naming the server).
type lastLines struct {
	server string
	max    int
	mu     sync.Mutex
	keep   []string
}

func (l *lastLines) Enabled(context.Context, slog.Level) bool { return true }

func (l *lastLines) Handle(_ context.Context, r slog.Record) error {
	mine := false
	r.Attrs(func(a slog.Attr) bool {
		mine = mine || a.Key == "upstream" && a.Value.String() == l.server
		return !mine
	})
	if !mine {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keep = append(l.keep, r.Message); len(l.keep) > l.max {
		l.keep = l.keep[1:]
	}
	return nil
}

func (l *lastLines) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *lastLines) WithGroup(string) slog.Handler      { return l }

func (l *lastLines) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string{}, l.keep...)
}

var (
	httpCode   = regexp.MustCompile(`\b(401|403|404|405|5\d\d)\b|Unauthorized|Forbidden|Not Found|Method Not Allowed`)
	httpNames  = map[string]string{"Unauthorized": "401", "Forbidden": "403", "Not Found": "404", "Method Not Allowed": "405"}
	namePrefix = regexp.MustCompile(`^connect to MCP server "[^"]*": `)
)

// testFailure says what a failed probe of sc means, and what to check.
func testFailure(sc mcpconfig.Server, err error, took time.Duration, stderr []string) *TestFailure {
	f := &TestFailure{Stderr: stderr, Detail: namePrefix.ReplaceAllString(err.Error(), "")}
	text := err.Error()
	stdio := sc.Transport() == "stdio"
	switch {
	case stdio && errors.Is(err, exec.ErrNotFound), stdio && errors.Is(err, os.ErrNotExist):
		f.Message = fmt.Sprintf("The program %q was not found.", sc.Command)
		f.Hint = "Check the command's spelling, or give its full path."
	case stdio && errors.Is(err, os.ErrPermission):
		f.Message = fmt.Sprintf("The program %q may not be run (permission denied).", sc.Command)
		f.Hint = "Check that the file is a program and executable."
	case took >= probeTimeout-time.Second || errors.Is(err, context.DeadlineExceeded):
		f.Message = fmt.Sprintf("The server did not answer within %d s.", int(probeTimeout.Seconds()))
		if stdio {
			f.Hint = "Check that the program is an MCP server speaking over stdio (some need an argument such as \"stdio\")."
		} else {
			f.Hint = "Check the URL and that the server is running."
		}
	case stdio:
		ended := "The program ended"
		if exit := (*proxy.ProgramExit)(nil); errors.As(err, &exit) {
			ended = fmt.Sprintf("The program ended with exit status %d", exit.Code)
		}
		f.Message = ended + " before it answered."
		if len(stderr) == 0 {
			f.Message = ended + " before it answered, and printed nothing."
		}
		f.Hint = "Check the arguments (a script's path, a package name) and the working folder."
	case errors.Is(err, syscall.ECONNREFUSED):
		f.Message = fmt.Sprintf("Nothing answers at %s.", hostOf(sc.URL))
		f.Hint = "Check the URL's host and port, and that the server is running."
	case httpCode.MatchString(text):
		code := httpCode.FindString(text)
		if n, ok := httpNames[code]; ok {
			code = n
		}
		f.Message = fmt.Sprintf("The server answered with HTTP status %s.", code)
		switch code {
		case "401", "403":
			f.Hint = "Check the headers: the server wants credentials (a token) it did not get."
		case "404", "405":
			f.Hint = "Check the URL's path (often /mcp, or /sse for SSE)."
		default:
			f.Hint = "The server failed; try again later, or look at its logs."
		}
	default:
		f.Message = "Could not connect: " + rootText(err) + "."
		f.Hint = "Check the URL, the headers, and that the server is running."
	}
	return f
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
