package testenv

import (
	"strings"
	"sync"
	"testing"
)

// Output is what a process started by a test writes (its stderr, say):
// each write is copied to the test's log behind a prefix, and all of it is
// kept for the test to read. A process that outlives its test (its cleanup
// ran) is no longer copied to the log, which the testing package forbids.
type Output struct {
	t      testing.TB
	prefix string
	mu     sync.Mutex
	all    []byte
	done   bool
}

// NewOutput returns an Output copying to t's log with prefix.
func NewOutput(t testing.TB, prefix string) *Output {
	o := &Output{t: t, prefix: prefix}
	t.Cleanup(func() { o.mu.Lock(); o.done = true; o.mu.Unlock() })
	return o
}

// Write keeps p and logs it.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.all = append(o.all, p...)
	if !o.done {
		o.t.Logf("%s%s", o.prefix, strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// String is everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.all)
}
