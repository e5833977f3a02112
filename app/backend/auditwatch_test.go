package backend

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
)

// TestWatchAuditSeesEveryWriter: records appended by another writer (as
// another process would) reach the watcher once each, in order, across a
// line written in two pieces and a rotation; older records are not sent.
func TestWatchAuditSeesEveryWriter(t *testing.T) {
	home := newHome(t, freePort(t))
	c := start(t, home, "")
	path := c.auditPath()
	if err := audit.Open(path).Append(audit.Record{Kind: "execution", ExecutionID: "old"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.watchAudit(ctx, 10*time.Millisecond, func(recs []audit.Record) {
			mu.Lock()
			defer mu.Unlock()
			for _, r := range recs {
				got = append(got, r.ExecutionID)
			}
		})
	}()
	defer func() { cancel(); <-done }()
	seen := func(n int) bool {
		deadline := time.Now().Add(time.Minute) // a hang guard: the wait ends when the records arrive
		for time.Now().Before(deadline) {
			mu.Lock()
			l := len(got)
			mu.Unlock()
			if l >= n {
				return true
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	time.Sleep(50 * time.Millisecond) // let the watcher take the file's end
	other := audit.Open(path)         // another writer, as a --stdio server is
	if err := other.Append(audit.Record{Kind: "execution", ExecutionID: "a"}, audit.Record{Kind: "tool_call", ExecutionID: "a"}); err != nil {
		t.Fatal(err)
	}
	if !seen(2) {
		t.Fatalf("got %q", got)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"kind":"execution","exec`)
	time.Sleep(50 * time.Millisecond)
	f.WriteString(`utionId":"b"}` + "\n")
	f.Close()
	if !seen(3) {
		t.Fatalf("got %q", got)
	}
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := other.Append(audit.Record{Kind: "execution", ExecutionID: "c"}); err != nil {
		t.Fatal(err)
	}
	if !seen(4) {
		t.Fatalf("got %q after a rotation", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"a", "a", "b", "c"}; len(got) != len(want) || got[0] != "a" || got[2] != "b" || got[3] != "c" {
		t.Errorf("got %q, want %q", got, want)
	}
	if filepath.Base(path) != "audit.jsonl" {
		t.Errorf("watching %s", path)
	}
}
