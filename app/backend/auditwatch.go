package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/audit"
	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// watchAudit calls fn with the records appended to the audit log from now
// on, by any process: the app's own runs and those of every `--stdio` or
// `--http` server an AI client started. It checks the file every interval
// and returns when ctx ends. A record is passed once; a batch holds the
// records found by one check, in the order they were written (an
// execution's tool calls follow it). When the log is rotated the new file
// is read from its start.
func (b *Backend) watchAudit(ctx context.Context, every time.Duration, fn func([]audit.Record)) {
	path := b.auditPath()
	t := &tail{path: path}
	t.skipToEnd()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if recs := t.read(); len(recs) > 0 {
				fn(recs)
			}
		}
	}
}

// auditPath is the audit log: the same file in every policy, as it lives
// in the home folder.
func (b *Backend) auditPath() string {
	return config.Policy{Home: b.home}.AuditLog()
}

// tail reads what was appended to a file since the last read.
type tail struct {
	path    string
	offset  int64
	ident   os.FileInfo // the file read last, to notice a rotation
	partial []byte      // a line not finished yet
}

func (t *tail) skipToEnd() {
	if fi, err := os.Stat(t.path); err == nil {
		t.offset, t.ident = fi.Size(), fi
	}
}

func (t *tail) read() []audit.Record {
	fi, err := os.Stat(t.path)
	if err != nil {
		return nil
	}
	if t.ident != nil && !os.SameFile(t.ident, fi) || fi.Size() < t.offset {
		t.offset, t.partial = 0, nil // rotated or truncated: a new file
	}
	t.ident = fi
	if fi.Size() == t.offset {
		return nil
	}
	f, err := os.Open(t.path)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf, err := io.ReadAll(io.NewSectionReader(f, t.offset, fi.Size()-t.offset))
	if err != nil {
		return nil
	}
	t.offset += int64(len(buf))
	buf = append(t.partial, buf...)
	end := bytes.LastIndexByte(buf, '\n')
	if end < 0 {
		t.partial = buf
		return nil
	}
	t.partial = append([]byte(nil), buf[end+1:]...)
	var out []audit.Record
	for _, line := range bytes.Split(buf[:end], []byte{'\n'}) {
		var r audit.Record
		if json.Unmarshal(line, &r) == nil {
			out = append(out, r)
		}
	}
	return out
}
