package sandbox

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"
)

// cappedBuffer keeps the first max bytes written to it and counts the rest.
// The server's memory stays bounded whatever the code prints.
type cappedBuffer struct {
	mu      sync.Mutex
	max     int
	buf     bytes.Buffer
	dropped int64
	lines   *lineTap // sees every byte written, dropped ones included
}

// tap sets (nil: removes) the lineTap that sees what is written.
func (c *cappedBuffer) tap(t *lineTap) {
	c.mu.Lock()
	c.lines = t
	c.mu.Unlock()
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lines != nil {
		c.lines.write(p)
	}
	room := c.max - c.buf.Len()
	if room >= len(p) {
		c.buf.Write(p)
		return len(p), nil
	}
	if room > 0 {
		c.buf.Write(p[:room])
	}
	c.dropped += int64(len(p) - max(room, 0))
	return len(p), nil
}

// String returns what was kept, cut at a rune boundary, with a truncation
// marker when anything was dropped.
func (c *cappedBuffer) String(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf.Bytes()
	if c.dropped == 0 {
		return string(b)
	}
	cut := len(b)
	for cut > 0 && cut > len(b)-utf8.UTFMax && !utf8.Valid(b[:cut]) {
		cut--
	}
	dropped := c.dropped + int64(len(b)-cut)
	return string(b[:cut]) + fmt.Sprintf("\n[%s truncated: %d more bytes were dropped; the limit is %d bytes]", name, dropped, c.max)
}

// Truncated reports whether anything was dropped.
func (c *cappedBuffer) Truncated() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped > 0
}

// frameSplitter separates the bootstrap's frames (<key><json>\n) from the
// code's own stdout. Bytes that are not part of a frame go to out; each
// complete frame's JSON goes to onFrame. The key is unknown to the code, so
// it cannot forge a frame.
type frameSplitter struct {
	mu       sync.Mutex
	key      []byte
	out      *cappedBuffer
	onFrame  func([]byte)
	onReady  func() // called once when the boot marker is seen
	booted   bool
	maxFrame int
	pending  []byte
	inFrame  bool
	overflow bool // a frame exceeded maxFrame
}

func (f *frameSplitter) setKey(k string) {
	f.mu.Lock()
	f.key = []byte(k)
	f.mu.Unlock()
}

func (f *frameSplitter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = append(f.pending, p...)
	if !f.booted { // the bootstrap prints its boot marker before anything else
		i := bytes.Index(f.pending, readyMarker)
		if i < 0 {
			return len(p), nil
		}
		f.out.Write(f.pending[:i])
		f.pending = append(f.pending[:0], f.pending[i+len(readyMarker):]...)
		f.booted = true
		if f.onReady != nil {
			f.onReady()
		}
	}
	if len(f.key) == 0 {
		f.out.Write(f.pending)
		f.pending = f.pending[:0]
		return len(p), nil
	}
	for {
		if f.inFrame {
			nl := bytes.IndexByte(f.pending, '\n')
			if nl < 0 {
				if len(f.pending) > f.maxFrame {
					f.overflow = true
					f.pending = f.pending[:0]
				}
				return len(p), nil
			}
			if !f.overflow {
				f.onFrame(bytes.Clone(f.pending[:nl]))
			}
			f.overflow = false
			f.pending = f.pending[nl+1:]
			f.inFrame = false
			continue
		}
		i := bytes.Index(f.pending, f.key)
		if i >= 0 {
			f.out.Write(f.pending[:i])
			f.pending = f.pending[i+len(f.key):]
			f.inFrame = true
			continue
		}
		// Keep the tail that could be the start of a key split across
		// writes (the longest end of pending that begins the key), and
		// pass the rest on now: a line the code printed reaches the
		// output, and Job.OnStdout, as soon as it is written.
		keep := 0
		for k := min(len(f.key)-1, len(f.pending)); k > 0; k-- {
			if bytes.HasPrefix(f.key, f.pending[len(f.pending)-k:]) {
				keep = k
				break
			}
		}
		f.out.Write(f.pending[:len(f.pending)-keep])
		f.pending = append(f.pending[:0], f.pending[len(f.pending)-keep:]...)
		return len(p), nil
	}
}

// readyMarker is what the bootstrap prints once it has booted, before any job.
var readyMarker = []byte("\x1econductor-ready\n")

// flush writes any held-back tail to the output once the stream has ended.
func (f *frameSplitter) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.inFrame {
		f.out.Write(f.pending)
	}
	f.pending = nil
}

// endSplitter passes stderr through, stripping the bootstrap's keyed end
// marker and reporting when it has been seen: everything written to stderr
// before it has then been read.
type endSplitter struct {
	mu      sync.Mutex
	out     *cappedBuffer
	marker  []byte
	pending []byte
	seen    chan struct{}
	closed  bool
}

func newEndSplitter(out *cappedBuffer) *endSplitter {
	return &endSplitter{out: out, seen: make(chan struct{})}
}

func (e *endSplitter) setKey(key string) {
	e.mu.Lock()
	e.marker = []byte(key + "end\n")
	e.mu.Unlock()
}

func (e *endSplitter) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.marker) == 0 || e.closed {
		e.out.Write(p)
		return len(p), nil
	}
	e.pending = append(e.pending, p...)
	if i := bytes.Index(e.pending, e.marker); i >= 0 {
		e.out.Write(e.pending[:i])
		e.out.Write(e.pending[i+len(e.marker):])
		e.pending = nil
		e.closed = true
		close(e.seen)
		return len(p), nil
	}
	keep := min(len(e.marker)-1, len(e.pending))
	e.out.Write(e.pending[:len(e.pending)-keep])
	e.pending = append(e.pending[:0], e.pending[len(e.pending)-keep:]...)
	return len(p), nil
}

// flush writes a held-back tail once the stream has ended.
func (e *endSplitter) flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.out.Write(e.pending)
	e.pending = nil
}

// MaxTapLine bounds a line given to Job.OnStdout; the rest of a longer line
// is dropped, so a line without end costs a fixed amount of memory.
const MaxTapLine = 1 << 10

// lineTap splits what the code prints into lines for Job.OnStdout.
type lineTap struct {
	onLine func(string)
	cur    []byte // the line so far, at most MaxTapLine bytes
}

func (t *lineTap) write(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := MaxTapLine - len(t.cur); room > 0 {
			t.cur = append(t.cur, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			return
		}
		t.onLine(string(bytes.TrimSuffix(t.cur, []byte{'\r'})))
		t.cur = t.cur[:0]
		p = p[i+1:]
	}
}
