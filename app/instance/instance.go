// Package instance keeps one MCP Conductor window per user.
//
// The first launch becomes the primary: it holds an exclusive lock on a file
// in the user's runtime folder for as long as it lives, and listens on a unix
// socket beside it (on Windows, where AF_UNIX may be missing, on a named pipe
// only its user can open, see package localsock). A later launch fails to take the lock, connects to the
// socket, sends a one-line command such as "show", waits for "ok" and exits.
// The lock dies with the process, so a crash never leaves a stale primary.
package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// ErrAlreadyRunning is returned by Acquire when another process is primary.
var ErrAlreadyRunning = errors.New("another instance is already running")

// CmdShow asks the primary to show and focus its window.
const CmdShow = "show"

const (
	lockName   = "gui.lock"
	socketName = "gui.sock"
	// maxLine bounds a command line, so a stray client cannot make us buffer.
	maxLine = 256
)

// Primary is the running first instance.
type Primary struct {
	dir  string
	lock *os.File
	ln   net.Listener

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Acquire makes this process the primary instance for dir, creating dir
// (owner-only) if needed. It returns ErrAlreadyRunning if another process
// holds the lock.
func Acquire(dir string) (*Primary, error) {
	if err := fsx.MkdirPrivate(dir); err != nil {
		return nil, fmt.Errorf("creating instance folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening instance lock: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	// We hold the lock, so whatever listened here before is dead.
	ln, err := listen(dir)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("listening for other instances: %w", err)
	}
	return &Primary{dir: dir, lock: f, ln: ln}, nil
}

// Serve answers other instances until Close, calling handle for each command
// line they send. handle runs on its own goroutine per connection; it should
// return quickly.
func (p *Primary) Serve(handle func(cmd string) error) {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			line, err := readLine(c)
			if err != nil {
				fmt.Fprintf(c, "error %v\n", err)
				return
			}
			if err := handle(line); err != nil {
				fmt.Fprintf(c, "error %v\n", err)
				return
			}
			fmt.Fprint(c, "ok\n")
		}()
	}
}

// Close stops serving, removes the socket and releases the lock.
func (p *Primary) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	err := p.ln.Close() // a unix listener unlinks its socket file
	p.wg.Wait()
	if cerr := p.lock.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing instance: %w", err)
	}
	return nil
}

// Send delivers cmd to the primary instance for dir and waits for its answer.
// The primary may still be starting, so Send retries connecting until ctx
// ends.
func Send(ctx context.Context, dir, cmd string) error {
	if strings.ContainsAny(cmd, "\r\n") || len(cmd) >= maxLine {
		return fmt.Errorf("invalid instance command %q", cmd)
	}
	var c net.Conn
	for {
		var err error
		c, err = dial(ctx, dir)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("reaching the running instance: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if _, err := fmt.Fprintf(c, "%s\n", cmd); err != nil {
		return fmt.Errorf("sending %q to the running instance: %w", cmd, err)
	}
	answer, err := readLine(c)
	if err != nil {
		return fmt.Errorf("reading the running instance's answer: %w", err)
	}
	if answer != "ok" {
		return fmt.Errorf("the running instance answered %q", answer)
	}
	return nil
}

func readLine(c net.Conn) (string, error) {
	r := bufio.NewReaderSize(c, maxLine)
	line, err := r.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}
