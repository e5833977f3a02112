package sandbox

import (
	"strings"
	"testing"
)

func TestFrameSplitter(t *testing.T) {
	const key = "k3y0123456789abcdef"
	tests := []struct {
		name   string
		writes []string
		out    string
		frames []string
	}{
		{"plain output", []string{"hello\n"}, "hello\n", nil},
		{"frame alone", []string{key + `{"t":"result"}` + "\n"}, "", []string{`{"t":"result"}`}},
		{"frame after partial line", []string{"no newline", key + `{"a":1}` + "\nrest"}, "no newlinerest", []string{`{"a":1}`}},
		{"key split across writes", []string{"x" + key[:5], key[5:] + `{"b":2}`, "\n"}, "x", []string{`{"b":2}`}},
		{"forged frame with wrong key", []string{"deadbeef" + `{"t":"result","value":"666"}` + "\n"}, "deadbeef" + `{"t":"result","value":"666"}` + "\n", nil},
		{"two frames", []string{key + "1\n" + key + "2\n"}, "", []string{"1", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var frames []string
			out := &cappedBuffer{max: 1 << 20}
			f := &frameSplitter{out: out, maxFrame: 1 << 20, onFrame: func(b []byte) { frames = append(frames, string(b)) }}
			f.setKey(key)
			f.Write(readyMarker[:3])
			f.Write(readyMarker[3:])
			for _, w := range tt.writes {
				f.Write([]byte(w))
			}
			f.flush()
			if got := out.String("stdout"); got != tt.out {
				t.Errorf("output = %q, want %q", got, tt.out)
			}
			if strings.Join(frames, "|") != strings.Join(tt.frames, "|") {
				t.Errorf("frames = %q, want %q", frames, tt.frames)
			}
		})
	}
}

// Output that cannot begin a frame is passed on as it is written, not
// held until more comes; only an end that begins the key waits.
func TestFrameSplitterPassesLinesAtOnce(t *testing.T) {
	const key = "\x1ek3y0123456789abcdef:"
	out := &cappedBuffer{max: 1 << 20}
	f := &frameSplitter{out: out, maxFrame: 1 << 20, onFrame: func([]byte) {}}
	f.setKey(key)
	f.Write(readyMarker)
	for _, tt := range []struct{ write, seen string }{
		{"pid 42\n", "pid 42\n"},
		{"half" + key[:4], "pid 42\nhalf"},
		{key[4:] + "{}\nafter", "pid 42\nhalfafter"},
		{"\x1eno key", "pid 42\nhalfafter\x1eno key"},
	} {
		f.Write([]byte(tt.write))
		if got := out.String("stdout"); got != tt.seen {
			t.Errorf("after %q: output %q, want %q", tt.write, got, tt.seen)
		}
	}
}

func TestCappedBuffer(t *testing.T) {
	c := &cappedBuffer{max: 10}
	c.Write([]byte("héllo wörld and more"))
	got := c.String("stdout")
	if !strings.HasPrefix(got, "héllo wö") || !strings.Contains(got, "[stdout truncated:") || !c.Truncated() {
		t.Errorf("got %q", got)
	}
	c2 := &cappedBuffer{max: 10}
	c2.Write([]byte("short"))
	if c2.String("stdout") != "short" || c2.Truncated() {
		t.Errorf("short write changed: %q", c2.String("stdout"))
	}
}

func TestLineTap(t *testing.T) {
	var got []string
	tap := &lineTap{onLine: func(l string) { got = append(got, l) }}
	long := strings.Repeat("x", MaxTapLine+500)
	for _, w := range []string{"a", "b\nc\r\n", "\n", long[:700], long[700:] + "\nend", "ing\n", "no newline"} {
		tap.write([]byte(w))
	}
	want := []string{"ab", "c", "", long[:MaxTapLine], "ending"}
	if len(got) != len(want) {
		t.Fatalf("lines %d, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %q, want %q", i, got[i], want[i])
		}
	}
	if len(tap.cur) > MaxTapLine {
		t.Errorf("the pending line grew to %d bytes", len(tap.cur))
	}
}
