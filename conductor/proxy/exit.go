package proxy

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ProgramExit is part of a connect error when a stdio server's program
// ended on its own, with an exit status, before the connection was made:
// errors.As finds it. A program the proxy stopped with a signal is not
// one.
type ProgramExit struct {
	// Code is the program's exit status.
	Code int
}

func (e *ProgramExit) Error() string {
	return fmt.Sprintf("the program exited with status %d", e.Code)
}

// exitTransport is a CommandTransport that remembers how its program
// ended. go-sdk's connection returns the program's wait error from Close
// (and Connect closes a connection it could not initialise), so the
// record is the transport's own answer, with no second look at the
// process.
type exitTransport struct {
	mcp.Transport
	rec *exitRecord
}

// exitRecord holds the error the connection's Close returned, and
// whether Close may have had to stop the program: go-sdk waits stop (its
// TerminateDuration) for the program to end after closing its input
// before it signals or kills it. On Unix a signal shows in the status;
// Windows' kill is an exit with status 1, told apart by that wait.
type exitRecord struct {
	stop    time.Duration
	mu      sync.Mutex
	closed  bool
	stopped bool // Close took the whole wait: the program may have been killed
	err     error
}

func (t *exitTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &exitConn{Connection: c, rec: t.rec}, nil
}

type exitConn struct {
	mcp.Connection
	rec *exitRecord
}

func (c *exitConn) Close() error {
	start := time.Now()
	err := c.Connection.Close()
	c.rec.mu.Lock()
	c.rec.closed, c.rec.err, c.rec.stopped = true, err, time.Since(start) >= c.rec.stop
	c.rec.mu.Unlock()
	return err
}

// exit is how the program ended, if it exited by itself; nil while it
// runs, when it was stopped by a signal, or when it is not a program.
// Close returns nil only when the program's wait did, that is status 0.
func (r *exitRecord) exit() *ProgramExit {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var ee *exec.ExitError
	switch {
	case !r.closed:
		return nil
	case r.err == nil:
		return &ProgramExit{Code: 0}
	case errors.As(r.err, &ee) && ee.Exited() && !(runtime.GOOS == "windows" && ee.ExitCode() == 1 && r.stopped):
		return &ProgramExit{Code: ee.ExitCode()}
	}
	return nil
}
